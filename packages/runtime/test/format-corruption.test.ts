import { describe, expect, it } from 'vitest';
import { HEADER_FIELDS, HEADER_SIZE, isRuntimeError, loadModel, readRuntimeGraph, RuntimeError, type RuntimeErrorCode } from '../src/index.js';
import { writeRuntimeGraph } from '../src/writer.js';
import { Rng } from '@lstmc/testing';
import { editManifest, resealHeader, sealFile, splitFile } from './helpers/repack.js';
import { twoLayerLstmModel } from './helpers/sample-models.js';

const GOOD = writeRuntimeGraph(twoLayerLstmModel(new Rng(3), { I: 4, H: 6, C: 3 }));

function codeOf(bytes: Uint8Array): RuntimeErrorCode | 'ok' {
  try {
    readRuntimeGraph(bytes);
    return 'ok';
  } catch (e) {
    if (!(e instanceof RuntimeError)) throw e;
    return e.code;
  }
}

function errorOf(bytes: Uint8Array): RuntimeError {
  try {
    readRuntimeGraph(bytes);
  } catch (e) {
    if (e instanceof RuntimeError) return e;
    throw e;
  }
  throw new Error('expected a RuntimeError');
}

const copy = () => GOOD.slice();

describe('binary corruption', () => {
  it('accepts the untouched file', () => expect(codeOf(GOOD)).toBe('ok'));

  it('rejects a bad magic with its offset', () => {
    const b = copy();
    b[3] ^= 0xff;
    const e = errorOf(b);
    expect([e.code, e.offset]).toEqual(['E-RT-MAGIC', 3]);
    expect(codeOf(new TextEncoder().encode('{"values":[]}'))).toBe('E-RT-MAGIC');
  });

  it('rejects every truncation', () => {
    for (const n of [0, 5, 8, 40, 63, 64, 100, GOOD.length - 64, GOOD.length - 1]) expect(codeOf(GOOD.slice(0, n)), `length ${n}`).toBe('E-RT-TRUNCATED');
  });

  it('rejects a flip of any header byte', () => {
    for (let i = 0; i < HEADER_SIZE; i++) {
      const b = copy();
      b[i] ^= 0x10;
      expect(codeOf(b), `byte ${i}`).toBe(i < 8 ? 'E-RT-MAGIC' : 'E-RT-HEADER-CRC');
    }
  });

  it('rejects a flip of payload bytes (manifest and blob) by the file checksum', () => {
    const rng = new Rng(11);
    for (let k = 0; k < 200; k++) {
      const i = rng.int(HEADER_SIZE, GOOD.length - 1);
      const b = copy();
      b[i] ^= 1 << rng.int(0, 7);
      const e = errorOf(b);
      expect([e.code, e.offset], `byte ${i}`).toEqual(['E-RT-CHECKSUM', HEADER_FIELDS.payloadCrc]);
    }
  });

  it('rejects unknown versions and flags, and bad header fields even with a valid header CRC', () => {
    const patch = (f: (v: DataView) => void) => {
      const b = copy();
      f(new DataView(b.buffer));
      return codeOf(resealHeader(b));
    };
    expect(patch((v) => v.setUint16(HEADER_FIELDS.versionMajor, 2, true))).toBe('E-RT-VERSION');
    expect(patch((v) => v.setUint16(HEADER_FIELDS.versionMinor, 2, true))).toBe('E-RT-VERSION');
    expect(patch((v) => v.setUint32(HEADER_FIELDS.flags, 4, true))).toBe('E-RT-FLAGS');
    expect(patch((v) => v.setUint32(HEADER_FIELDS.headerSize, 128, true))).toBe('E-RT-HEADER');
    expect(patch((v) => v.setUint8(HEADER_FIELDS.reserved + 3, 1))).toBe('E-RT-HEADER');
    expect(patch((v) => v.setUint32(HEADER_FIELDS.fileLength, GOOD.length + 64, true))).toBe('E-RT-TRUNCATED');
    expect(patch((v) => v.setUint32(HEADER_FIELDS.blobOffset, v.getUint32(HEADER_FIELDS.blobOffset, true) + 8, true))).toBe('E-RT-ALIGN');
    expect(patch((v) => v.setUint32(HEADER_FIELDS.blobOffset, v.getUint32(HEADER_FIELDS.blobOffset, true) + 64, true))).toBe('E-RT-HEADER');
    expect(patch((v) => v.setUint32(HEADER_FIELDS.manifestLength, 1 << 30, true))).toBe('E-RT-HEADER');
    expect(patch((v) => v.setUint32(HEADER_FIELDS.blobLength, 7, true))).toBe('E-RT-HEADER');
    const longer = new Uint8Array(GOOD.length + 3);
    longer.set(GOOD);
    expect(codeOf(longer)).toBe('E-RT-HEADER');
  });
});

describe('manifest corruption (re-sealed with valid checksums)', () => {
  const { blob } = splitFile(GOOD);
  const lstmIndex = (m: any) => m.nodes.findIndex((n: any) => n.kernel === 'lstm.dense.f32');
  const constIndex = (m: any) => m.values.findIndex((v: any) => v.data && v.dtype === 'f32');

  const cases: [string, RuntimeErrorCode, (m: any) => void, string?][] = [
    ['missing nodes', 'E-RT-MANIFEST', (m) => delete m.nodes, 'manifest.nodes'],
    ['unknown top-level key', 'E-RT-MANIFEST', (m) => (m.extra = 1), 'manifest.extra'],
    ['values not an array', 'E-RT-MANIFEST', (m) => (m.values = {}), 'values'],
    ['value name not a string', 'E-RT-MANIFEST', (m) => (m.values[0].name = 3), 'values[0].name'],
    ['unknown dtype', 'E-RT-DTYPE', (m) => (m.values[0].dtype = 'f16'), 'values[0].dtype'],
    ['negative dim', 'E-RT-SHAPE', (m) => (m.values[0].shape = ['seq', -1, 4]), 'values[0].shape[1]'],
    ['fractional dim', 'E-RT-SHAPE', (m) => (m.values[0].shape = [1.5]), 'values[0].shape[0]'],
    ['constant past the blob', 'E-RT-BLOB-RANGE', (m) => (m.values[constIndex(m)].data.offset = blob.length), undefined],
    ['constant misaligned', 'E-RT-ALIGN', (m) => (m.values[constIndex(m)].data.offset += 4), undefined],
    ['constant length wrong', 'E-RT-BLOB-RANGE', (m) => (m.values[constIndex(m)].data.length -= 4), undefined],
    ['constant negative offset', 'E-RT-BLOB-RANGE', (m) => (m.values[constIndex(m)].data.offset = -64), undefined],
    ['constant with symbolic shape', 'E-RT-SHAPE', (m) => (m.values[constIndex(m)].shape[0] = 'n'), undefined],
    ['constant shape disagrees with length', 'E-RT-BLOB-RANGE', (m) => m.values[constIndex(m)].shape.push(2), undefined],
    ['node input out of range', 'E-RT-INDEX', (m) => (m.nodes[0].inputs[0] = m.values.length), 'nodes[0].inputs[0]'],
    ['node input below -1', 'E-RT-INDEX', (m) => (m.nodes[0].inputs[0] = -2), 'nodes[0].inputs[0]'],
    ['graph output -1', 'E-RT-INDEX', (m) => (m.outputs[0] = -1), 'outputs[0]'],
    ['graph input not an integer', 'E-RT-MANIFEST', (m) => (m.inputs[0] = '0'), 'inputs[0]'],
    ['unknown kernel', 'E-RT-KERNEL', (m) => (m.nodes[0].kernel = 'NoSuchOp'), 'nodes[0].kernel'],
    ['prototype key as kernel', 'E-RT-KERNEL', (m) => (m.nodes[0].kernel = 'toString'), 'nodes[0].kernel'],
    ['attribute of the wrong type', 'E-RT-ATTR', (m) => (m.nodes[lstmIndex(m)].attrs.hidden_size = { type: 'float', value: 6 }), undefined],
    ['unknown attribute', 'E-RT-ATTR', (m) => (m.nodes[lstmIndex(m)].attrs.bogus = { type: 'int', value: 1 }), undefined],
    ['missing required attribute', 'E-RT-ATTR', (m) => delete m.nodes[lstmIndex(m)].attrs.hidden_size, undefined],
    ['string attribute outside its set', 'E-RT-ATTR', (m) => (m.nodes[lstmIndex(m)].attrs.direction = { type: 'string', value: 'sideways' }), undefined],
    ['malformed attribute', 'E-RT-ATTR', (m) => (m.nodes[lstmIndex(m)].attrs.layout = { type: 'int' }), undefined],
    ['int attribute not an integer', 'E-RT-ATTR', (m) => (m.nodes[lstmIndex(m)].attrs.layout = { type: 'int', value: 0.5 }), undefined],
    ['unknown attribute type', 'E-RT-ATTR', (m) => (m.nodes[lstmIndex(m)].attrs.layout = { type: 'complex', value: 0 }), undefined],
    ['tensor attribute past the blob', 'E-RT-BLOB-RANGE', (m) => (m.nodes.find((n: any) => n.kernel === 'ConstantOfShape').attrs.value.data.offset = 1 << 20), undefined],
    ['hidden_size disagrees with packed weights', 'E-RT-GRAPH', (m) => (m.nodes[lstmIndex(m)].attrs.hidden_size.value = 5), undefined],
    ['unknown activation', 'E-RT-GRAPH', (m) => (m.nodes[lstmIndex(m)].attrs.activations = { type: 'strings', value: ['Sigmoid', 'Tanh', 'Swish'] }), undefined],
    ['nodes out of order', 'E-RT-GRAPH', (m) => m.nodes.reverse(), undefined],
    ['value produced twice', 'E-RT-GRAPH', (m) => (m.nodes[1].outputs[0] = m.nodes[0].outputs[0]), 'nodes[1].outputs[0]'],
    ['graph input produced by a node', 'E-RT-GRAPH', (m) => (m.nodes[0].outputs[0] = m.inputs[0]), 'nodes[0].outputs[0]'],
    ['constant used as graph input', 'E-RT-GRAPH', (m) => m.inputs.push(constIndex(m)), 'inputs[1]'],
    ['duplicate value names', 'E-RT-GRAPH', (m) => (m.values[1].name = m.values[0].name), 'values[1].name'],
    ['too many inputs for the kernel', 'E-RT-GRAPH', (m) => m.nodes[0].inputs.push(0), 'nodes[0].inputs'],
    ['required input omitted', 'E-RT-GRAPH', (m) => (m.nodes[lstmIndex(m)].inputs[1] = -1), undefined],
    ['wrong input dtype for the kernel', 'E-RT-GRAPH', (m) => (m.values[0].dtype = 'i32'), undefined],
    ['graph output never produced', 'E-RT-GRAPH', (m) => m.nodes.pop(), undefined],
    ['bad execution mode', 'E-RT-MANIFEST', (m) => (m.nodes[lstmIndex(m)].mode = { W: 'dense', R: 'lazy' }), undefined],
    ['metadata value not a string', 'E-RT-MANIFEST', (m) => (m.metadata = { a: 1 }), 'metadata.a'],
    ['attribute named like an Object.prototype member', 'E-RT-ATTR', (m) => (m.nodes[lstmIndex(m)].attrs.constructor = { type: 'int', value: 1 }), undefined],
    ['attribute named __proto__', 'E-RT-ATTR', (m) => Object.defineProperty(m.nodes[lstmIndex(m)].attrs, '__proto__', { value: { type: 'int', value: 1 }, enumerable: true }), undefined],
  ];

  for (const [what, code, edit, field] of cases) {
    it(`${what}: ${code}`, () => {
      const e = errorOf(editManifest(GOOD, edit));
      expect(e.code).toBe(code);
      if (field) expect(e.field).toBe(field);
      else expect(e.field ?? e.offset).toBeDefined();
    });
  }

  it('rejects a manifest that is not JSON or not UTF-8', () => {
    expect(codeOf(sealFile('{"values": [', blob))).toBe('E-RT-MANIFEST-JSON');
    expect(codeOf(sealFile(Uint8Array.of(0x7b, 0xff, 0x7d), blob))).toBe('E-RT-MANIFEST-JSON');
    expect(codeOf(sealFile('[]', blob))).toBe('E-RT-MANIFEST');
  });

  it('never loads garbage: random manifest number mutations either fail cleanly or still run', () => {
    const { manifest } = splitFile(GOOD);
    const rng = new Rng(99);
    const nums = [...manifest.matchAll(/-?\d+(\.\d+)?(e-?\d+)?/g)];
    const X = { input: { dtype: 'f32' as const, shape: [3, 2, 4], data: new Rng(5).f32(24) } };
    let rejected = 0;
    for (let k = 0; k < 300; k++) {
      const hit = nums[rng.int(0, nums.length - 1)]!;
      const repl = String(rng.pick([-1, 0, 1, 2, 3, 7, 64, 1e9, -64, 0.5, rng.int(0, 200)]));
      const text = manifest.slice(0, hit.index) + repl + manifest.slice(hit.index! + hit[0].length);
      try {
        const m = loadModel(sealFile(text, blob));
        const out = m.run(X);
        for (const o of m.outputs) expect(out[o.name]!.dtype).toBe(o.dtype);
      } catch (e) {
        if (!isRuntimeError(e)) throw new Error(`mutation ${k} (${hit[0]} -> ${repl} at ${hit.index}) threw a non-RuntimeError: ${String(e)}`);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(100);
  });
});
