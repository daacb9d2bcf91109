import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inferTypes } from '../src/infer.js';
import { verifyGraph } from '../src/verify.js';
import { isDiagnosticError } from '../src/diagnostic.js';
import { makeGraph, makeNode } from '../src/graph.js';
import { makeTensor } from '../src/tensor.js';
import { tensorType } from '../src/types.js';
import { createTextIrReader, DEFAULT_ELIDE_ABOVE, parseGraph, printGraph, printGraphWithResources, TEXT_IR_HEADER } from '../src/text/index.js';
import { IrTextParser } from '../src/text/parser.js';
import { diffGraphs, xorshift32 } from './text-helpers.js';
import { SAMPLES } from './text-samples.js';

function constGraph(n: number) {
  const data = new Float32Array(n).map((_, i) => i / 8);
  return makeGraph({
    inputs: [],
    outputs: ['c'],
    initializers: [['w', makeTensor('f32', [n], data)]],
    values: [['w', { name: 'w', type: tensorType('f32', [n]) }], ['c', { name: 'c', type: tensorType('f32', [n]) }]],
    nodes: [makeNode({ op: 'Constant', name: 'k', inputs: [], outputs: ['c'], attrs: { value: { kind: 'tensor', value: makeTensor('f32', [n], data) } } })],
  });
}

describe('the grammar', () => {
  it("passes chevrotain's grammar validations (no ambiguity, no left recursion)", () => {
    expect(() => new IrTextParser({ validate: true })).not.toThrow();
  });
});

describe('printGraph', () => {
  it('starts with the header line', () => {
    for (const make of Object.values(SAMPLES)) expect(printGraph(make()).split('\n')[0]).toBe(TEXT_IR_HEADER);
  });

  it('does not depend on attribute, metadata, opset or value-map insertion order', () => {
    const a = makeGraph({
      opsets: { '': 13, x: 1 },
      metadata: { b: '2', a: '1' },
      inputs: ['i'],
      outputs: ['o'],
      values: [['i', { name: 'i', type: tensorType('f32', [2]) }], ['o', { name: 'o', type: tensorType('f32', [2]) }]],
      nodes: [makeNode({ op: 'Op', name: 'n', inputs: ['i'], outputs: ['o'], attrs: { z: { kind: 'int', value: 1 }, a: { kind: 'int', value: 2 } } })],
    });
    const b = makeGraph({
      opsets: { x: 1, '': 13 },
      metadata: { a: '1', b: '2' },
      inputs: ['i'],
      outputs: ['o'],
      values: [['o', { name: 'o', type: tensorType('f32', [2]) }], ['i', { name: 'i', type: tensorType('f32', [2]) }]],
      nodes: [makeNode({ op: 'Op', name: 'n', inputs: ['i'], outputs: ['o'], attrs: { a: { kind: 'int', value: 2 }, z: { kind: 'int', value: 1 } } })],
    });
    expect(printGraph(a)).toBe(printGraph(b));
    expect(printGraph(a)).toContain('{a = 2, z = 1}');
  });

  it(`inlines tensors of up to elideAbove (default ${DEFAULT_ELIDE_ABOVE}) elements and elides larger ones`, () => {
    const at = printGraph(constGraph(DEFAULT_ELIDE_ABOVE));
    expect(at).not.toContain('dense_resource');
    const above = printGraphWithResources(constGraph(DEFAULT_ELIDE_ABOVE + 1));
    expect(above.text.match(/dense_resource<"(w|k:value)", sha256 = "[0-9a-f]{16}"> : f32\[65\]/g)).toHaveLength(2);
    expect([...above.resources.keys()]).toEqual(['w', 'k:value']);
    expect(printGraph(constGraph(3), { elideAbove: 2 })).toContain('dense_resource<"w"');
    expect(printGraph(constGraph(1000), { elideAbove: Infinity })).not.toContain('dense_resource');
  });

  it('quotes names only when they would not read back as one token', () => {
    const g = makeGraph({
      inputs: ['plain_1.a', '/lstm/LSTM_output_0', 'onnx::LSTM_7', 'with space', 'a:b', ''],
      outputs: [],
      values: [],
      nodes: [],
    });
    const lines = printGraph(g).split('\n').filter((l) => l.includes('input'));
    expect(lines.map((l) => l.trim())).toEqual([
      'input %plain_1.a',
      'input %/lstm/LSTM_output_0',
      'input %onnx::LSTM_7',
      'input %"with space"',
      'input %"a:b"',
      'input %""',
    ]);
    expect(diffGraphs(g, parseGraph(printGraph(g), { file: 'q.lir' }))).toEqual([]);
  });
});

describe('parseGraph input forms', () => {
  it('reads CRLF line ends and a leading byte-order mark', () => {
    const g = SAMPLES.nestedLoop!();
    const text = printGraph(g);
    expect(diffGraphs(g, parseGraph(`\uFEFF${text.replace(/\n/g, '\r\n')}`, { file: 'crlf.lir' }))).toEqual([]);
  });

  it('reports positions on CRLF text by line and column', () => {
    const text = '// lstmc.ir v1\r\ngraph @g {\r\n  input %x : f99[1]\r\n}\r\n';
    expect(() => parseGraph(text, { file: 'crlf.lir' })).toThrow(/E-TEXT-DTYPE.*crlf\.lir:3:14/);
  });
});

describe('docs/ir-text.md', () => {
  it('its example is real printer output and parses', () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'ir-text.md'), 'utf8');
    const example = /## An example\n\n```\n([^`]*)```/.exec(doc)![1]!;
    const resources = new Map([
      ['W', makeTensor('f32', [1, 4, 2], [0.5, -0.25, 0.125, 1, -1, 0.75, 0.1, 0.2])],
      ['B', makeTensor('f32', [1, 8])],
    ]);
    const g = parseGraph(example, { file: 'ir-text.md', resources });
    expect(printGraph(g, { elideAbove: 6 })).toBe(example);
    expect(verifyGraph(inferTypes(g))).toEqual([]);
  });
});

describe('parseGraph resources', () => {
  const g = constGraph(100);
  const { text, resources } = printGraphWithResources(g);

  it('reads elided tensors from the resources it is given', () => {
    expect(diffGraphs(g, parseGraph(text, { file: 'r.lir', resources }))).toEqual([]);
  });

  it('reports a missing resource with its key and location', () => {
    const r = new Map(resources);
    r.delete('k:value');
    try {
      parseGraph(text, { file: 'r.lir', resources: r });
      expect.unreachable();
    } catch (e) {
      if (!isDiagnosticError(e)) throw e;
      expect(e.code).toBe('E-TEXT-RESOURCE');
      expect(e.diagnostic.loc).toMatchObject({ file: 'r.lir', node: 'k', field: 'value' });
      expect(e.diagnostic.loc.line).toBe(text.split('\n').findIndex((l) => l.includes('"k:value"')) + 1);
    }
  });

  it('rejects a resource whose data differs from what the text was printed from', () => {
    const changed = new Float32Array(resources.get('w')!.data as Float32Array);
    changed[50] = -changed[50]!;
    const r = new Map(resources).set('w', makeTensor('f32', [100], changed));
    expect(() => parseGraph(text, { file: 'r.lir', resources: r })).toThrow(/E-TEXT-RESOURCE-MISMATCH/);
  });
});

describe('parseGraph never fails with anything but a located diagnostic', () => {
  it('on 600 random mutations of a printed graph', () => {
    const text = printGraph(SAMPLES.kitchenSink!(), { elideAbove: Infinity });
    const next = xorshift32(4242);
    const alphabet = ['{', '}', '(', ')', '[', ']', '<', '>', ',', ':', '::', '=', '%', '@', '"', '\\', '?', '*', '-', '1', '1.5', 'nan(0x1)', 'none', 'graph', 'f32', 'x', ' ', '\n', 'é'];
    const reader = createTextIrReader();
    let parsed = 0;
    let diagnosed = 0;
    for (let i = 0; i < 600; i++) {
      let t = text;
      for (let k = 1 + (next() % 3); k > 0; k--) {
        const at = next() % t.length;
        const op = next() % 3;
        const ins = alphabet[next() % alphabet.length]!;
        t = op === 0 ? t.slice(0, at) + t.slice(at + 1 + (next() % 8)) : op === 1 ? t.slice(0, at) + ins + t.slice(at) : t.slice(0, at) + ins + t.slice(at + 1);
      }
      try {
        parseGraph(t, { file: 'm.lir', reader });
        parsed++;
      } catch (e) {
        if (!isDiagnosticError(e)) throw new Error(`mutation ${i} threw ${String(e)}\n${t}`);
        expect(e.code).toMatch(/^E-TEXT-/);
        expect(e.diagnostic.loc.line).toBeGreaterThanOrEqual(1);
        expect(e.diagnostic.loc.column).toBeGreaterThanOrEqual(1);
        diagnosed++;
      }
    }
    expect(diagnosed).toBeGreaterThan(300);
    expect(parsed + diagnosed).toBe(600);
  });
});
