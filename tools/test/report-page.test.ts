import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { defaultTarget } from '@lstmc/target';
import { PAGE_SCRIPT, renderReportPage, type ReportData } from '../src/report/index.js';

const empty = (file: string): ReportData => ({
  file, kind: 'model', pipeline: '', target: { ...defaultTarget }, graph: { summary: '', nodes: [], inputs: [], outputs: [], stages: [] },
  matrices: [], decisions: [], whatIf: [], quantization: [], passReports: [], sim: null, notes: [],
});

describe('report page', () => {
  it('has a script that parses as plain JS (the browser test runs it)', () => {
    expect(() => new Script(PAGE_SCRIPT, { filename: 'report-page.js' })).not.toThrow();
  });

  it('embeds the data so that no value can end the script element, and loads nothing', () => {
    const html = renderReportPage(empty('evil</script><script>alert(1)</script>.onnx'));
    expect(html.match(/<\/script>/g)).toHaveLength(2); // the JSON element's and the script's own
    const json = /<script type="application\/json" id="lstmc-data">(.*?)<\/script>/s.exec(html)![1];
    expect(JSON.parse(json).file).toBe('evil</script><script>alert(1)</script>.onnx');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:|\/\/)/);
  });
});
