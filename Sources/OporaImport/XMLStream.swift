import CLibXML2

/// Streams the elements and text of one XML part to a handler, with libxml2's xmlTextReader.
///
/// Not Foundation's XMLParser: on Linux it dereferences NULL (SIGSEGV) or traps on malformed
/// input, and one such upload took `opora serve` down. libxml2's reader reports malformed XML as
/// an error, which refuses the part. The reader is set up without network access, without entity
/// substitution, and with libxml2's default limits (no XML_PARSE_HUGE); a DOCTYPE or an entity
/// reference refuses the part too (Office Open XML parts never hold them).
protocol XMLPartHandler {
    /// Whether text nodes are needed now (the text is not copied otherwise).
    var wantsText: Bool { get }
    /// An element starts; `attributes` are (qualified name, value) pairs.
    mutating func start(_ name: String, _ attributes: [(name: String, value: String)]) throws
    mutating func end(_ name: String) throws
    mutating func text(_ text: String) throws
}

/// libxml2 must be initialised once before threads use it.
private let libxml2Ready: Bool = {
    xmlInitParser()
    return true
}()

enum XMLStream {
    static func read<H: XMLPartHandler>(_ bytes: [UInt8], part: String, into handler: inout H) throws {
        let damaged = XLSXReader.Failure(reason: Messages.xlsxDamagedPart(part))
        _ = libxml2Ready
        guard !bytes.isEmpty, bytes.count <= Int(Int32.max) else { throw damaged }
        let errorFlag = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        errorFlag.pointee = 0
        defer { errorFlag.deallocate() }
        try bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: CChar.self),
                  let reader = opora_xml_reader(base, Int32(raw.count), errorFlag) else { throw damaged }
            defer { xmlFreeTextReader(reader) }
            var attributes: [(name: String, value: String)] = []
            while true {
                let status = xmlTextReaderRead(reader)
                if status == 0 { break }
                guard status == 1, errorFlag.pointee == 0 else { throw damaged }
                switch xmlTextReaderNodeType(reader) {
                case 1: // element
                    guard let name = string(xmlTextReaderConstLocalName(reader)) else { throw damaged }
                    let empty = xmlTextReaderIsEmptyElement(reader) == 1
                    attributes.removeAll(keepingCapacity: true)
                    if xmlTextReaderHasAttributes(reader) == 1 {
                        while xmlTextReaderMoveToNextAttribute(reader) == 1 {
                            guard let n = string(xmlTextReaderConstName(reader)) else { throw damaged }
                            attributes.append((n, string(xmlTextReaderConstValue(reader)) ?? ""))
                        }
                        _ = xmlTextReaderMoveToElement(reader)
                    }
                    try handler.start(name, attributes)
                    if empty { try handler.end(name) } // <c/> has no end-element node
                case 15: // end of element
                    guard let name = string(xmlTextReaderConstLocalName(reader)) else { throw damaged }
                    try handler.end(name)
                case 3, 4, 13, 14: // text, CDATA, whitespace, significant whitespace
                    if handler.wantsText, let text = string(xmlTextReaderConstValue(reader)) { try handler.text(text) }
                case 5, 6, 10: // entity reference, entity, DOCTYPE
                    throw damaged
                default:
                    continue
                }
            }
            guard errorFlag.pointee == 0 else { throw damaged }
        }
    }

    private static func string(_ p: UnsafePointer<xmlChar>?) -> String? {
        p.map { String(cString: $0) }
    }
}
