#!/usr/bin/env bash
# Writes the reader fixtures of this folder byte for byte. They are committed; run
# this only to change them (needs printf and zip). The bytes matter: Windows-1252,
# CRLF, a BOM and NULs do not survive editors, so they are spelled out here.
set -euo pipefail
cd "$(dirname "$0")"

# As Indonesian-locale Excel saves "CSV (semicolon delimited)": ';' because the
# decimal separator is ',', Windows-1252, CRLF. \351 é, \374 ü, \200 €.
printf 'id_rekaman;tanggal_laporan;nama;alamat;berat;keterangan\r\n' >semicolon_1252.csv
printf 'R-001;12/03/2023;Ren\351 Sihombing;Jl. Merdeka No. 5, Bandung;50,5;biaya 100\200\r\n' >>semicolon_1252.csv
printf 'R-002;3 Agu 2021;M\374ller Siregar;Kab. Sukabumi;61,25;"kata ""calo""; lalu pergi"\r\n' >>semicolon_1252.csv
printf 'R-003;2021-08-03;Siti Aminah;;;\r\n' >>semicolon_1252.csv
printf ';;;;;\r\n' >>semicolon_1252.csv

# UTF-8 with a byte order mark, as Excel's "CSV UTF-8" writes it.
printf '\357\273\277record_id,name,birth_place\r\n' >utf8_bom.csv
printf 'A-1,Jos\303\251 Ram\303\255rez,Medan\r\n' >>utf8_bom.csv
printf 'A-2,\303\221oman,"Kota Bandung, Jawa Barat"\r\n' >>utf8_bom.csv

# Tab-separated, LF line ends, commas and semicolons inside cells.
printf 'record_id\tname\texploitation\tnotes\n' >tab.tsv
printf 'T-1\tDewi\tforced labour;sexual exploitation\tsatu, dua\n' >>tab.tsv
printf 'T-2\tAyu\t\t\n' >>tab.tsv
printf 'T-3\tRina\tdebt bondage\n' >>tab.tsv

# Quoted cells spanning lines, doubled quotes, a delimiter inside quotes, trailing
# empty lines. Physical lines: header 1, row A 2-4, row B 5, row C 6-7.
printf 'id,notes,name\r\n' >quoted.csv
printf 'A,"first line\nsecond line\nthird ""quoted"" line",Ani\r\n' >>quoted.csv
printf 'B,"comma, inside","Budi ""Bud"" Santoso"\r\n' >>quoted.csv
printf 'C,"ends with newline\n",Citra\r\n' >>quoted.csv
printf '\r\n\r\n' >>quoted.csv

: >empty.csv

# A PNG signature, an IHDR chunk and a few hundred bytes with NULs: not text.
{
  printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\001\000\000\000\001\000\010\006\000\000\000'
  for i in $(seq 1 40); do printf '\000\377\020\200IDAT\001\002'; done
} >binary.png

# JSON lines: a later line adds a key; an invalid line; a blank line.
{
  printf '{"record_id":"J-1","name":"Ani","age":31,"weight":50.50,"suspects":["Budi","Joko"]}\n'
  printf '\n'
  printf '{"record_id":"J-2","name":"Tari","nik":3201234567890123,"active":true,"notes":null}\n'
  printf '{"record_id":"J-3","name":"Siti Aminah", broken\n'
  printf '{"record_id":"J-4","name":"Wati","address":{"city":"Bogor"}}\r\n'
} >records.jsonl

# A hand-made XLSX exercising what writers differ in: the first tab is not
# sheet1.xml (the workbook's first <sheet> points through its relationship to
# data.xml), shared strings with rich-text runs and a phonetic run, inline strings,
# formulas with cached values, booleans, _xHHHH_ escapes, sparse rows and gaps.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/_rels" "$tmp/xl/_rels" "$tmp/xl/worksheets"
cat >"$tmp/[Content_Types].xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/data.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>
EOF
cat >"$tmp/_rels/.rels" <<'EOF'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
EOF
cat >"$tmp/xl/workbook.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Korban" sheetId="2" r:id="rId7"/><sheet name="Lama" sheetId="1" r:id="rId1"/></sheets></workbook>
EOF
cat >"$tmp/xl/_rels/workbook.xml.rels" <<'EOF'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/data.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>
EOF
cat >"$tmp/xl/sharedStrings.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="6" uniqueCount="6"><si><t>id_rekaman</t></si><si><t xml:space="preserve"> nama </t></si><si><r><rPr><b/></rPr><t xml:space="preserve">Siti </t></r><r><t>Aminah</t></r><rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si><si><t>R-001</t></si><si><t>Tom &amp; Jerry &lt;3</t></si><si><t>baris satu_x000D_
baris dua</t></si></sst>
EOF
# Row 1 is empty, the header is row 2, row 4 is missing, row 6 holds only an empty
# cell, row 7 has a value beyond the header.
cat >"$tmp/xl/worksheets/data.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:H7"/><sheetData><row r="1"></row><row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c><c r="C2" t="inlineStr"><is><t>tanggal_laporan</t></is></c><c r="D2" t="inlineStr"><is><t>umur</t></is></c><c r="E2" t="inlineStr"><is><t>aktif</t></is></c><c r="F2" t="inlineStr"><is><t>keterangan</t></is></c></row><row r="3"><c r="A3" t="s"><v>3</v></c><c r="B3" t="s"><v>2</v></c><c r="C3"><v>44197</v></c><c r="D3"><f>20+5</f><v>25</v></c><c r="E3" t="b"><v>1</v></c><c r="F3" t="s"><v>5</v></c></row><row r="5"><c r="A5" t="inlineStr"><is><r><t>R-</t></r><r><t>002</t></r></is></c><c r="C5"><v>0.30000000000000004</v></c><c r="E5" t="b"><v>0</v></c><c r="F5" t="str"><f>"O"&amp;"K"</f><v>OK</v></c></row><row r="6"><c r="B6"/></row><row r="7"><c r="A7" t="inlineStr"><is><t>R-003</t></is></c><c r="B7" t="s"><v>4</v></c><c r="D7"><v>1.5E1</v></c><c r="H7" t="inlineStr"><is><t>stray</t></is></c></row></sheetData></worksheet>
EOF
cat >"$tmp/xl/worksheets/sheet1.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>not the first tab</t></is></c></row></sheetData></worksheet>
EOF
rm -f sample.xlsx
(cd "$tmp" && zip -q -X -D -r "$OLDPWD/sample.xlsx" '[Content_Types].xml' _rels xl)
echo "wrote the reader fixtures in $(pwd)"
