"""The style sheet of the Good Faith Estimate page: plain on screen, US Letter on paper."""

CSS = """
@page { size: Letter; margin: 0.5in 0.55in; }
* { box-sizing: border-box; }
html { font: 10pt/1.4 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #111; }
body { margin: 0; background: #e8e8e8; }
.page { background: #fff; max-width: 8.5in; margin: 0.3in auto; padding: 0.5in 0.55in;
        box-shadow: 0 1px 6px rgba(0, 0, 0, 0.25); }
h1 { font-size: 20pt; margin: 0; letter-spacing: 0.01em; }
h2 { font-size: 11.5pt; margin: 14pt 0 5pt; padding-bottom: 2pt; border-bottom: 1.5pt solid #111; }
h3 { font-size: 10pt; margin: 9pt 0 3pt; }
p { margin: 4pt 0; }
.sub { margin: 2pt 0 0; color: #444; }
header { display: flex; justify-content: space-between; align-items: flex-start; gap: 16pt;
         border-bottom: 3pt solid #111; padding-bottom: 8pt; }
table { border-collapse: collapse; }
table.meta th, table.kv th { text-align: left; font-weight: normal; color: #444;
                             padding: 1pt 10pt 1pt 0; vertical-align: top; white-space: nowrap; }
table.meta td, table.kv td { padding: 1pt 0; font-weight: bold; vertical-align: top; }
table.meta td { white-space: nowrap; }
.parties { display: grid; grid-template-columns: 1fr 1.35fr; gap: 22pt; }
table.items { width: 100%; margin-top: 4pt; }
table.items th, table.items td { border-bottom: 0.75pt solid #999; padding: 4pt 5pt;
                                 text-align: left; vertical-align: top; }
table.items thead th { border-bottom: 1.5pt solid #111; font-size: 8.5pt; }
table.items tfoot td { border-top: 1.5pt solid #111; border-bottom: none; font-weight: bold;
                       font-size: 11pt; }
.num { text-align: right !important; white-space: nowrap; font-variant-numeric: tabular-nums; }
.note { color: #333; font-size: 8.5pt; }
p.warn { border-left: 3pt solid #111; padding: 3pt 8pt; background: #f2f2f2; }
ol.dates { columns: 4; column-gap: 14pt; margin: 2pt 0; padding-left: 22pt; font-size: 8.5pt; }
ul { margin: 3pt 0; padding-left: 16pt; }
li { margin: 2pt 0; }
.notice { border: 1.5pt solid #111; padding: 2pt 10pt 6pt; margin-top: 14pt; }
.notice h2 { border-bottom: none; }
footer { margin-top: 12pt; padding-top: 5pt; border-top: 0.75pt solid #999; font-size: 8pt;
         color: #333; }
code { font-size: 7.5pt; word-break: break-all; }
thead { display: table-header-group; }
tr, li, .notice, header, .parties { break-inside: avoid; }
h2, h3 { break-after: avoid; }
@media print {
  body { background: none; }
  .page { margin: 0; padding: 0; max-width: none; box-shadow: none; }
  p.warn { background: none; }
}
"""
