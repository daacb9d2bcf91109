/** The page's stylesheet (system fonts only: the page loads nothing). */
export const PAGE_CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0 auto; max-width: 1200px; padding: 16px; color: #1b1f24; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; margin-top: 28px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
.meta, .note { color: #57606a; }
.note { font-style: italic; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 12px; }
th, td { border: 1px solid #d0d7de; padding: 2px 6px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.card { border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 12px; margin: 10px 0; }
.row { display: flex; gap: 16px; flex-wrap: wrap; align-items: flex-start; }
canvas { border: 1px solid #d0d7de; cursor: crosshair; display: block; }
button { font: inherit; font-size: 12px; margin: 0 4px 4px 0; }
.tip { font: 12px ui-monospace, monospace; color: #24292f; min-height: 1.4em; }
.where-accel { fill: #dbe9ff; stroke: #0550ae; } .where-host { fill: #fff1d6; stroke: #9a6700; }
.where-unused { fill: #eeeeee; stroke: #8c959f; } .where-refused { fill: #ffdcd7; stroke: #cf222e; }
.legend span { display: inline-block; margin-right: 12px; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border: 1px solid #555; vertical-align: middle; }
pre { background: #f6f8fa; padding: 8px; overflow: auto; font-size: 12px; }
svg text { font: 11px system-ui, sans-serif; }
`;
