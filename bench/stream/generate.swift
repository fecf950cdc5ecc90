// Writes a demo region (one year) for the streaming benchmark: generate SCHOOLS DIR (truth goes to DIR-truth).
import Foundation
import OporaDemo
let args = CommandLine.arguments
let schools = Int(args[1])!, out = args[2]
let s = try RegionGenerator(spec: RegionSpec(schools: schools, municipalities: max(1, schools / 100), years: 1, seed: 3))
    .write(to: URL(fileURLWithPath: out), truthDirectory: URL(fileURLWithPath: out + "-truth"))
print(s)
