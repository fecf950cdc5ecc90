#!/usr/bin/env python3
"""A bounded mutation fuzz run of Opora's importers: a few thousand broken .xlsx and .csv files,
each given to `opora import --dry-run` under a timeout, with its exit status and peak memory.

    python3 bench/fuzz_import.py --opora .build/release/opora            # 3,000 inputs
    python3 bench/fuzz_import.py --opora OPORA --count 500 --minutes 5 --seed 3 --keep out/

An input passes when `opora import` answers with exit 0 (the file happened to be valid) or 1 (a
refusal), within the timeout. A crash is any other exit (a signal: 132 SIGILL, 134 SIGABRT, 139
SIGSEGV, …); a hang is a timeout. A refusal that says the sandboxed reader itself was stopped
(«обработка прервана» / «processing was stopped») is counted apart: the server and the CLI survive
it by design, but it means the reader met a limit or crashed inside its sandbox, so the run reports
those too. Peak memory is the largest maximum resident set of the command and its children (GNU
time's %M, which for a waited child covers the largest of them).

Seeds: a valid workbook written here (the OOXML parts by hand, no spreadsheet library needed), the
regression files of ../shared/repro (copied to Tests/Fixtures/repro) and small CSV files. Mutations:
byte flips, inserts, deletes and truncation of the whole file; for workbooks also edits inside the
XML parts (dropped or repeated characters, huge row numbers and column letters, bad shared-string
indices, entity declarations), damaged ZIP header fields and damaged deflate streams.
Needs only Python's standard library and GNU time (/usr/bin/time, Debian's `time`).
"""
import argparse
import io
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
REPRO = os.path.join(ROOT, "Tests", "Fixtures", "repro")

SCHOOLS_CSV = (
    "school_id,name,municipality,region,settlement,kind,students,distance_km\n"
    "0101,МБОУ СОШ № 1,Каменский район,Область,urban,general,612,\n"
    "0102,МБОУ СОШ с. Луг,Каменский район,Область,rural,general,87,34\n"
)
RESULTS_CSV = (
    "year;school_id;assessment;subject;grade;student_id;score;mark;journal_mark;task_1;task_2.1\n"
    "2025;0101;vpr;math;5;A0001;12;4;4;1;2\n"
    "2025;0101;vpr;math;5;A0002;5,5;3;4;0;1\n"
    "2025;0102;vpr;math;5;B0001;3;2;3;0;0\n"
)


def xlsx(rows, shared=True):
    """A minimal valid workbook whose first sheet holds `rows` (lists of str)."""
    strings, index = [], {}
    def cell(ref, value):
        if value == "":
            return ""
        if shared:
            if value not in index:
                index[value] = len(strings)
                strings.append(value)
            return f'<c r="{ref}" t="s"><v>{index[value]}</v></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
    def col(i):
        s = ""
        i += 1
        while i:
            i, r = divmod(i - 1, 26)
            s = chr(65 + r) + s
        return s
    sheet_rows = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(cell(f"{col(c)}{r}", v) for c, v in enumerate(row))
        sheet_rows.append(f'<row r="{r}">{cells}</row>')
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '</Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} {rel}><sheets>'
        '<sheet name="Лист1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '</Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>{"".join(sheet_rows)}</sheetData></worksheet>',
    }
    if shared:
        items = "".join(f"<si><t>{s}</t></si>" for s in strings)
        parts["xl/sharedStrings.xml"] = f'<?xml version="1.0" encoding="UTF-8"?><sst {ns} count="{len(strings)}">{items}</sst>'
    return parts


def zipped(parts, compression=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, text in parts.items():
            z.writestr(name, text if isinstance(text, bytes) else text.encode("utf-8"))
    return buf.getvalue()


def csv_rows(text, delimiter):
    return [line.split(delimiter) for line in text.strip().split("\n")]


# --- mutations -----------------------------------------------------------------------------------

def mutate_bytes(rng, data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if not data:
            break
        op = rng.random()
        i = rng.randrange(len(data))
        if op < 0.4:
            data[i] = rng.randrange(256)
        elif op < 0.6:
            data[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif op < 0.8:
            del data[i:i + rng.randint(1, 64)]
        elif op < 0.9:
            data = data[:i]
        else:  # a long run of one byte
            data[i:i] = bytes([rng.choice(b"0 9;,\"\n\xd0\xff")]) * rng.choice([1000, 100000, 2000000])
    return bytes(data)


XML_EDITS = [
    lambda rng, s: s.replace('r="', 'r="' + rng.choice(["9999999999999999999", "1048577", "0", "-1", "A", "XFE", "1e9", "18446744073709551616"]), 1),
    lambda rng, s: s.replace('r="A', 'r="' + rng.choice(["XFE", "ZZZZ", "AAAAAAAAAAAAAAAAAAAA", "", "a"]), 1),
    lambda rng, s: s.replace("<v>", "<v>" + rng.choice(["999999", "-1", "1e308", "nan", "", "x"]), 1),
    lambda rng, s: s.replace('<?xml version="1.0" encoding="UTF-8"?>',
                             '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                             '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>', 1),
    lambda rng, s: s.replace("<t>", "<t>&d;", 1),
    lambda rng, s: s.replace("</row>", "</row>" * rng.randint(2, 5), 1),
    lambda rng, s: s.replace("<sheetData>", "<sheetData>" + "<row>" * rng.choice([10, 10000]), 1),
    lambda rng, s: s.replace('Target="', 'Target="' + rng.choice(["../../../../etc/passwd", "/xl/none.xml", "", "worksheets/../../x"]), 1),
    lambda rng, s: s[: rng.randrange(max(1, len(s)))],
    lambda rng, s: s.replace("<", "", 1),
    lambda rng, s: s.replace('t="s"', 't="' + rng.choice(["str", "inlineStr", "b", "e", "n", "d", "zz"]) + '"', 1),
    lambda rng, s: s + " " * rng.choice([10, 1000000]),
]


def mutate_parts(rng, parts):
    parts = dict(parts)
    for _ in range(rng.randint(1, 3)):
        name = rng.choice(list(parts))
        text = parts[name] if isinstance(parts[name], str) else parts[name].decode("utf-8", "replace")
        roll = rng.random()
        if roll < 0.7:
            text = rng.choice(XML_EDITS)(rng, text)
        elif roll < 0.85:
            del parts[name]
            continue
        else:
            text = mutate_bytes(rng, text.encode("utf-8")).decode("utf-8", "replace")
        parts[name] = text
    return zipped(parts, rng.choice([zipfile.ZIP_DEFLATED, zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED]))


def mutate_zip_fields(rng, data):
    """Damages fields of the local headers, the central directory or its end record."""
    data = bytearray(data)
    fields = []
    for sig, offsets in ((b"PK\x03\x04", (14, 18, 22, 26, 28)), (b"PK\x01\x02", (16, 20, 24, 28, 30, 42)), (b"PK\x05\x06", (8, 10, 12, 16, 20))):
        start = 0
        while (i := data.find(sig, start)) >= 0:
            fields += [(i + o) for o in offsets]
            start = i + 4
    for _ in range(rng.randint(1, 3)):
        if not fields:
            break
        at = rng.choice(fields)
        value = rng.choice([0, 1, 0xFFFF, 0xFFFFFFF0, 0xFFFFFFFF, 0x7FFFFFFF, len(data), len(data) + 1, rng.randrange(1 << 32)])
        width = 4 if rng.random() < 0.7 else 2
        if at + width <= len(data):
            data[at:at + width] = struct.pack("<I" if width == 4 else "<H", value & (0xFFFFFFFF if width == 4 else 0xFFFF))
    return bytes(data)


def mutate_deflate(rng, parts):
    """A workbook whose compressed streams are damaged in the middle (sizes left as they were)."""
    data = bytearray(zipped(parts))
    i = 0
    while (i := data.find(b"PK\x03\x04", i)) >= 0:
        csize = struct.unpack_from("<I", data, i + 18)[0]
        start = i + 30 + struct.unpack_from("<H", data, i + 26)[0] + struct.unpack_from("<H", data, i + 28)[0]
        if csize > 4 and rng.random() < 0.5:
            for _ in range(rng.randint(1, 4)):
                data[start + rng.randrange(csize)] = rng.randrange(256)
        i += 4
    return bytes(data)


def inputs(rng, count):
    seeds_xlsx = [
        xlsx(csv_rows(SCHOOLS_CSV, ",")),
        xlsx(csv_rows(RESULTS_CSV, ";"), shared=False),
        xlsx(csv_rows(RESULTS_CSV, ";")),
    ]
    seeds_csv = [SCHOOLS_CSV.encode(), RESULTS_CSV.encode(), RESULTS_CSV.encode("cp1251")]
    repro = []
    if os.path.isdir(REPRO):
        for name in sorted(os.listdir(REPRO)):
            path = os.path.join(REPRO, name)
            if name.endswith((".xlsx", ".csv")) and os.path.getsize(path) < 4 << 20:
                repro.append((name, open(path, "rb").read()))
    for n in range(count):
        roll = rng.random()
        if roll < 0.25:
            yield "xml-edit", "xlsx", mutate_parts(rng, rng.choice(seeds_xlsx))
        elif roll < 0.40:
            yield "zip-fields", "xlsx", mutate_zip_fields(rng, zipped(rng.choice(seeds_xlsx)))
        elif roll < 0.50:
            yield "deflate", "xlsx", mutate_deflate(rng, rng.choice(seeds_xlsx))
        elif roll < 0.65:
            yield "xlsx-bytes", "xlsx", mutate_bytes(rng, zipped(rng.choice(seeds_xlsx)))
        elif roll < 0.75 and repro:
            name, data = rng.choice(repro)
            yield "repro:" + name, name.rsplit(".", 1)[1], mutate_bytes(rng, data)
        else:
            yield "csv-bytes", "csv", mutate_bytes(rng, rng.choice(seeds_csv))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--opora", required=True)
    ap.add_argument("--count", type=int, default=3000)
    ap.add_argument("--minutes", type=float, default=30)
    ap.add_argument("--timeout", type=float, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", help="a folder for the inputs that crashed, hung or were stopped")
    ap.add_argument("--json", help="write the figures here as JSON")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="opora-fuzz-")
    db = os.path.join(work, "fuzz.sqlite")
    subprocess.run([args.opora, "import", "--db", db, "--dry-run", os.devnull], capture_output=True)  # creates the schema
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
    deadline = time.time() + args.minutes * 60
    tally = {"inputs": 0, "refused": 0, "accepted": 0, "crashes": 0, "hangs": 0, "stopped_in_sandbox": 0}
    by_kind = {}
    peak_kib = 0
    slowest = 0.0
    running = []
    started = time.time()

    def finish(job):
        nonlocal peak_kib, slowest
        proc, path, kind, t0, timefile = job
        try:
            out, err = proc.communicate(timeout=max(0.1, args.timeout - (time.time() - t0)))
            code = proc.returncode
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            out, err = proc.communicate()
            code = "timeout"
        elapsed = time.time() - t0
        slowest = max(slowest, elapsed)
        try:
            kib = int(open(timefile).read().strip().splitlines()[-1])
            peak_kib = max(peak_kib, kib)
        except (OSError, ValueError, IndexError):
            pass
        text = (out + err).decode("utf-8", "replace")
        verdict = "refused" if code == 1 else "accepted" if code == 0 else "hangs" if code == "timeout" else "crashes"
        # GNU time reports a killed child as "Command terminated by signal N" and exits with 128+N.
        if code not in (0, 1, "timeout"):
            verdict = "crashes"
        tally[verdict] += 1
        stopped = "обработка прервана" in text or "processing was stopped" in text
        if stopped:
            tally["stopped_in_sandbox"] += 1
        k = by_kind.setdefault(kind.split(":")[0], {"inputs": 0, "crashes": 0, "hangs": 0, "stopped": 0})
        k["inputs"] += 1
        k["crashes"] += verdict == "crashes"
        k["hangs"] += verdict == "hangs"
        k["stopped"] += stopped
        if args.keep and (verdict in ("crashes", "hangs") or stopped):
            shutil.copy(path, os.path.join(args.keep, f"{verdict}-{tally['inputs']}-{os.path.basename(path)}"))
            with open(os.path.join(args.keep, f"{verdict}-{tally['inputs']}.txt"), "w") as f:
                f.write(f"exit {code}, {elapsed:.1f} s\n{text[-4000:]}")
        os.unlink(path)
        os.unlink(timefile)

    for n, (kind, ext, data) in enumerate(inputs(rng, args.count)):
        if time.time() > deadline:
            break
        path = os.path.join(work, f"input{n}.{ext}")
        with open(path, "wb") as f:
            f.write(data)
        timefile = path + ".time"
        proc = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", timefile, args.opora, "import", "--dry-run", "--db", db, path],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        running.append((proc, path, kind, time.time(), timefile))
        tally["inputs"] += 1
        while len(running) >= args.jobs:
            finish(running.pop(0))
    for job in running:
        finish(job)
    shutil.rmtree(work, ignore_errors=True)

    figures = dict(tally, peak_rss_mib=round(peak_kib / 1024, 1), slowest_s=round(slowest, 2),
                   minutes=round((time.time() - started) / 60, 1), seed=args.seed, by_kind=by_kind)
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, ensure_ascii=False, indent=1)
    sys.exit(1 if tally["crashes"] or tally["hangs"] else 0)


if __name__ == "__main__":
    main()
