package report

import (
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"time"

	"github.com/valuekit/valuekit/chart"
)

// WriteHTML writes the report as one self-contained HTML document: inline
// style, charts as data: URLs, no scripts and no external resources (its
// Content-Security-Policy forbids fetching any).
func (r *Report) WriteHTML(w io.Writer) error {
	if err := page.Execute(w, r); err != nil {
		return fmt.Errorf("report: writing HTML: %w", err)
	}
	return nil
}

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"dataURL": func(c *Chart) template.URL {
		mime := "image/svg+xml"
		if c.Format == chart.PNG {
			mime = "image/png"
		}
		// The bytes are base64-encoded by us: the URL can hold nothing
		// but the image.
		return template.URL("data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(c.Data))
	},
	"stamp":   func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
	"numeric": func(t *Table, k int) bool { return k < len(t.Numeric) && t.Numeric[k] },
}).Parse(pageTemplate))

const pageTemplate = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="generator" content="valuekit report">
<title>{{.Title}}</title>
<style>
:root { --ink: #1d2430; --muted: #5b6472; --rule: #d9dee5; --band: #f4f6f9; --accent: #0072b2; --warn-bg: #fff4e0; --warn: #b35900; --note-bg: #eef5fb; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", Arial, sans-serif; }
header, main, footer { max-width: 1000px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; border-bottom: 1px solid var(--rule); }
h1 { font-size: 26px; margin: 0 0 4px; overflow-wrap: anywhere; }
.meta { color: var(--muted); margin: 0 0 12px; }
nav ol { display: flex; flex-wrap: wrap; gap: 4px 18px; list-style: none; padding: 0; margin: 0 0 16px; }
nav a { color: var(--accent); text-decoration: none; }
nav a:hover { text-decoration: underline; }
section { padding: 8px 0 20px; border-bottom: 1px solid var(--rule); }
h2 { font-size: 21px; margin: 22px 0 8px; }
h3 { font-size: 16px; margin: 22px 0 6px; }
.intro { color: var(--muted); max-width: 860px; }
.intro p { margin: 6px 0; }
p { margin: 8px 0; max-width: 900px; }
.warning, .note { padding: 8px 12px; border-left: 4px solid; border-radius: 3px; max-width: 900px; overflow-wrap: anywhere; }
.warning { background: var(--warn-bg); border-color: var(--warn); }
.warning::before { content: "⚠ "; color: var(--warn); font-weight: 600; }
.note { background: var(--note-bg); border-color: var(--accent); }
dl.facts { display: grid; grid-template-columns: minmax(160px, max-content) 1fr; gap: 3px 18px; margin: 10px 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.table { overflow-x: auto; margin: 12px 0; }
table { border-collapse: collapse; font-size: 13.5px; }
caption { text-align: left; color: var(--muted); padding-bottom: 4px; caption-side: top; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
th { background: var(--band); font-weight: 600; }
table.wide { font-size: 12.5px; }
.wide th, .wide td { white-space: nowrap; padding: 3px 6px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
tbody tr:nth-child(even) td { background: #fafbfc; }
figure { margin: 16px 0; }
figure img { display: block; max-width: 100%; height: auto; border: 1px solid var(--rule); }
figcaption { color: var(--muted); font-size: 13.5px; max-width: 900px; margin-top: 4px; }
footer { color: var(--muted); font-size: 13px; padding-top: 12px; padding-bottom: 32px; }
@media print { section, figure { break-inside: avoid-page; } nav { display: none; } }
</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
<p class="meta">Customer lifetime value report made by valuekit{{if not .Generated.IsZero}} on {{stamp .Generated}}{{end}}.</p>
<nav aria-label="Sections"><ol>{{range .Sections}}<li><a href="#{{.ID}}">{{.Title}}</a></li>{{end}}</ol></nav>
</header>
<main>
{{- range .Sections}}
<section id="{{.ID}}">
<h2>{{.Title}}</h2>
{{- if .Intro}}
<div class="intro">{{range .Intro}}<p>{{.}}</p>{{end}}</div>
{{- end}}
{{- range .Blocks}}
{{- if .Heading}}
<h3>{{.Heading}}</h3>
{{- else if .Text}}
<p>{{.Text}}</p>
{{- else if .Warning}}
<p class="warning">{{.Warning}}</p>
{{- else if .Note}}
<p class="note">{{.Note}}</p>
{{- else if .Facts}}
<dl class="facts">{{range .Facts}}<dt>{{.Label}}</dt><dd>{{.Value}}</dd>{{end}}</dl>
{{- else if .Table}}{{with .Table}}
<div class="table"><table{{if .Wide}} class="wide"{{end}}>
{{- if .Caption}}<caption>{{.Caption}}</caption>{{end}}
<thead><tr>{{$t := .}}{{range $k, $h := .Head}}<th{{if numeric $t $k}} class="num"{{end}}>{{$h}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Rows}}
<tr>{{range $k, $c := .}}<td{{if numeric $t $k}} class="num"{{end}}>{{$c}}</td>{{end}}</tr>
{{- end}}
</tbody></table></div>
{{- end}}
{{- else if .Chart}}{{with .Chart}}
<figure><img src="{{dataURL .}}" alt="{{.Title}}" width="{{.Width}}">
<figcaption><strong>{{.Title}}.</strong> {{.Caption}}</figcaption></figure>
{{- end}}
{{- end}}
{{- end}}
</section>
{{- end}}
</main>
<footer>Made with valuekit. Models: Fader, Hardie &amp; Lee (2005) for BG/NBD; Schmittlein, Morrison &amp; Colombo (1987) for Pareto/NBD; Batislam, Denizel &amp; Filiztekin (2007) for MBG/NBD; Fader, Hardie &amp; Shang (2010) for BG/BB; Fader, Hardie &amp; Lee (2005) for Gamma-Gamma spend.</footer>
</body>
</html>
`
