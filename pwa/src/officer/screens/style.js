// The officer screens' styles, added to the page only when the officer app loads (the
// citizen's stylesheet stays as it is). Wider on a laptop; SLA colours with text beside them.
export const OFFICER_CSS = `
.main.officer { max-width: 64rem; }
.officer-bar .bar-actions { display: flex; gap: .4rem; flex-shrink: 0; }
.officer-bar .brand { min-width: 0; }
@media (max-width: 30rem) {
  .officer-bar { padding: .4rem .5rem; }
  .officer-bar .brand { font-size: 1rem; white-space: normal; line-height: 1.2; }
  .officer-bar button { padding: 0 .4rem; font-size: .85rem; }
  nav.tabs a { font-size: .85rem; padding: .6rem .15rem; }
}
.filters { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: .5rem; }
.sla { display: inline-block; padding: 0 .5rem; border-radius: 6px; font-weight: 700; color: #fff; }
.sla-overdue { background: #b00020; } .sla-due_soon { background: #7a4f00; } .sla-on_track { background: #1b5e20; }
ul.queue li.edge-overdue { border-left: 8px solid #b00020; } ul.queue li.edge-due_soon { border-left: 8px solid #7a4f00; } ul.queue li.edge-on_track { border-left: 8px solid #1b5e20; }
.sync-bar { margin: 0; padding: .4rem 1rem; background: #e8f0fe; font-size: .9rem; }
.sync-bar.is-offline { background: #fff3cd; }
.sync-bar a { color: #1a1a1a; }
.actions { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: .5rem; }
.row { display: flex; gap: .5rem; flex-wrap: wrap; } .row > * { flex: 1; min-width: 10rem; }
.check { display: flex; align-items: center; gap: .5rem; font-weight: 400; min-height: 48px; }
.check input { width: 1.5rem; min-height: 1.5rem; }
fieldset.group, fieldset.missing { border: 2px solid #d8d2c8; border-radius: 10px; margin: 1rem 0; padding: .5rem 1rem; }
.move-form { border: 2px solid #a51c1c; border-radius: 10px; padding: .5rem 1rem; margin: 1rem 0; }
button.link { background: none; border: 0; color: #a51c1c; text-decoration: underline; font: inherit; min-height: 44px; cursor: pointer; }
button.zoom { border: 2px solid #8a8a8a; background: #fff; padding: 0; border-radius: 6px; cursor: zoom-in; }
button.zoom img { display: block; width: 8rem; height: auto; }
button.zoom.zoomed { cursor: zoom-out; } button.zoom.zoomed img { width: min(100%, 60rem); }
ul.docs li { margin: .5rem 0; }
li.conflict { padding: .5rem 1rem; }
section.lease { border-left: 6px solid #1a4f8a; padding: 0 1rem; margin: 1rem 0; }
.lease-meta { color: #1a4f8a; font-weight: 600; }
ul.officer-inbox li { padding: .5rem 1rem; } ul.officer-inbox li.unread { border-left: 6px solid #a51c1c; }
ul.officer-inbox p { margin: .25rem 0; overflow-wrap: anywhere; }
button:disabled { opacity: .6; cursor: not-allowed; }
.slip-page { max-width: 40rem; }
.slip { border: 1px dashed #8a8a8a; padding: 1rem; text-align: center; }
.slip .facts { text-align: left; }
.slip-code { font: 700 1.5rem/1.2 ui-monospace, monospace; letter-spacing: .05em; margin: .5rem 0; }
.slip-qr svg { width: 10rem; height: 10rem; }
.slip-thermal { width: 74mm; margin: 0 auto; font-size: 12px; padding: 2mm; }
.slip-thermal .slip-code { font-size: 16px; } .slip-thermal .slip-qr svg { width: 36mm; height: 36mm; }
@media print {
  .no-print { display: none !important; }
  .main { padding: 0; max-width: none; }
  .slip { border: 0; }
}
`;
