#!/usr/bin/env python3
"""Export the torch 2 part of the real-model corpus: the networks of
make_torch_corpus.py (same Net, same configurations' vocabulary) exported by a
current torch, as users of torch 2.x have them: by the dynamo exporter
(`torch.onnx.export(..., dynamo=True)`, the default since torch 2.9: ONNX
Script's torchlib, opset 20 here) and by torch 2's TorchScript exporter
(`dynamo=False`) at opsets it added (18, 20). Expected outputs are the torch
module's own.

Regenerate (from the repository root), in a Python with torch >= 2.9, onnx and
onnxscript, e.g. a venv:

    python3 -m venv /tmp/torch2 && /tmp/torch2/bin/pip install torch onnx onnxscript
    /tmp/torch2/bin/python tools/scripts/corpus/make_torch2_corpus.py

The script deletes and rewrites tools/test/corpus/torch2/ (the models and its
manifest.json). Every model is seeded from its name (crc32), torch runs
single-threaded.

torch.export specializes the sequence length of nn.LSTM's input (the exported
graph has a fixed time axis even when `dynamic_shapes` marks it), so dynamo
models are `fix` or `dynb` (batch only); the runtime's createStream still
takes chunks of any length on an LSTM-only time axis. Not exported: proj_size
(the dynamo exporter writes an LSTM whose initial_c does not have its hidden
size, which onnxruntime refuses too) and packed sequences (torch.export fails).
"""
import importlib.util
import json
import os
import shutil
import sys
import zlib

import onnx
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("make_torch_corpus", os.path.join(HERE, "make_torch_corpus.py"))
base = importlib.util.module_from_spec(spec)
spec.loader.exec_module(base)

OUT = os.path.join(base.CORPUS, "torch2")


class CellNet(torch.nn.Module):
    """nn.LSTMCell: one step (x [batch, input], h0/c0 [batch, hidden] in; Linear(h'), h', c' out), or
    `loop`: the cell over x [seq, batch, input] in a Python loop from zero states (y: the stacked h)."""

    def __init__(self, c):
        super().__init__()
        self.c = c
        self.cell = torch.nn.LSTMCell(c["input"], c["hidden"], bias=c["bias"])
        self.linear = torch.nn.Linear(c["hidden"], c["classes"]) if c["head"] == "linear" else None

    def forward(self, x, h0=None, c0=None):
        if self.c["loop"]:
            h = torch.zeros(x.shape[1], self.c["hidden"])
            cs = torch.zeros(x.shape[1], self.c["hidden"])
            ys = []
            for t in range(x.shape[0]):
                h, cs = self.cell(x[t], (h, cs))
                ys.append(h)
            return torch.stack(ys)
        h, cs = self.cell(x, (h0, c0))
        return (self.linear(h) if self.linear is not None else h), h, cs


def dynamo(name, **kw):
    """A model for the dynamo exporter (opset 20): `dyn` is fix or dynb; the second data set keeps the sequence length."""
    kw.setdefault("dyn", "dynb")
    assert kw["dyn"] in ("fix", "dynb"), name
    c = base.config(f"dynamo-{name}", opset=20, **kw)
    c["seq1"] = c["seq"]
    c["exporter"] = "dynamo"
    return c


def torchscript(name, **kw):
    """A model for torch 2's TorchScript exporter (dynamo=False) at one of its newer opsets."""
    c = base.config(f"ts-{name}", **kw)
    c["exporter"] = "torchscript"
    return c


def cell(exporter, name, loop=False, **kw):
    """An nn.LSTMCell model (CellNet): a step with h0/c0 in and (head, h', c') out, or a loop over the sequence."""
    c = base.config(f"{'dynamo' if exporter == 'dynamo' else 'ts'}-{name}", h0=not loop, state=not loop, head=None if loop else "linear", **kw)
    c["loop"] = loop
    c["exporter"] = exporter
    c["cell"] = True
    if exporter == "dynamo":
        c["opset"] = 20
        c["seq1"] = c["seq"]
    return c


def models():
    conv_bn = [dict(out=12, k=3, p=1, post=["relu", "bn"])]
    m = [
        dynamo("lstm-1l-uni-tm-noh0-fix", dyn="fix"),
        dynamo("lstm-1l-uni-tm-noh0-dynb"),
        dynamo("lstm-2l-bidir-bf-noh0-dynb", layers=2, bidir=True, bf=True),
        dynamo("lstm-1l-uni-tm-h0-dynb-state", h0=True, state=True),
        dynamo("lstm-2l-uni-bf-h0-fix-state", layers=2, bf=True, h0=True, state=True, dyn="fix"),
        dynamo("lstm-3l-bidir-tm-noh0-fix", layers=3, bidir=True, dyn="fix"),
        dynamo("lstm-2l-bidir-tm-h0-dynb-state-nobias", layers=2, bidir=True, h0=True, state=True, bias=False),
        dynamo("lstm-1l-uni-bf-noh0-fix-h32-i16", bf=True, dyn="fix", hidden=32, input=16),
        dynamo("lstm-1l-uni-unbatched-fix-state", unbatched=True, state=True, dyn="fix"),
        dynamo("head-linear-softmax-1l-bf-dynb", head="linear", act="softmax", bf=True),
        dynamo("head-last-linear-logsoftmax-2l-bidir-bf-dynb", head="last", act="logsoftmax", layers=2, bidir=True, bf=True),
        dynamo("head-last-linear-2l-tm-dynb", head="last", layers=2),
        dynamo("head-slice-linear-1l-tm-fix", head="slice", dyn="fix"),
        dynamo("head-mean-linear-softmax-1l-bidir-bf-dynb", head="mean", act="softmax", bidir=True, bf=True),
        dynamo("head-hn-concat-linear-1l-bidir-tm-dynb", head="hn", bidir=True),
        dynamo("conv-k3p1-relu-bn-lstm-1l-bf-dynb", front="conv", bf=True, convs=conv_bn, seq=9),
        dynamo("conv-2stage-g2-lstm-1l-tm-last-linear-fix", front="conv", dyn="fix", head="last", seq=12,
               convs=[dict(out=12, k=3, p=1, s=2, post=["relu"]), dict(out=12, k=3, p=2, d=2, g=2, post=["bn", "relu"])]),
        dynamo("step-2l-h0-state-linear-dynb", h0=True, state=True, layers=2, head="linear", seq=1, batch=2, batch1=3),
        dynamo("kws-layernorm-lstm-bf-flatten-linear-logsoftmax-dynb", front="layernorm", bf=True, head="flatten", act="logsoftmax", classes=4, seq=8),
        dynamo("kws-matmul-lstm-2l-bf-last-linear-softmax-dynb", front="matmul", bf=True, layers=2, head="last", act="softmax", classes=4),
        torchscript("lstm-2l-bidir-bf-noh0-dyn-op18", layers=2, bidir=True, bf=True, opset=18),
        torchscript("lstm-1l-uni-tm-h0-dyn-op20-state", h0=True, state=True, opset=20),
        torchscript("conv-k3p1-relu-bn-lstm-1l-bf-dyn-op18", front="conv", bf=True, opset=18, convs=conv_bn, seq=9, seq1=12),
        torchscript("kws-layernorm-lstm-bf-flatten-linear-logsoftmax-dynb-op18", front="layernorm", bf=True, head="flatten", act="logsoftmax", dyn="dynb", opset=18, classes=4, seq=8, seq1=8),
        # nn.LSTMCell, which both exporters write as Gemm/Split/Sigmoid/Tanh arithmetic (the lstm-cell pass)
        cell("dynamo", "cell-step-linear-dynb", dyn="dynb", seq=1, seq1=1),
        cell("dynamo", "cell-step-linear-fix-nobias", dyn="fix", seq=1, bias=False),
        cell("dynamo", "cell-loop-fix", loop=True, dyn="fix", seq=5),
        cell("torchscript", "cell-step-linear-dynb-op17", dyn="dynb", opset=17, seq=1, seq1=1),
        cell("torchscript", "cell-loop-fix-op14", loop=True, dyn="fix", opset=14, seq=5),
    ]
    names = [c["name"] for c in m]
    assert len(names) == len(set(names)), "duplicate model names"
    return m


def dynamic_shapes(c, in_names):
    """torch.export's dynamic_shapes for a dynb model: the batch axis of x (and h0/c0) is one Dim."""
    if c["dyn"] == "fix":
        return None
    batch = torch.export.Dim("batch", min=1, max=64)
    x_axis = 0 if (c["front"] == "conv" or c["bf"] or c.get("cell")) else 1
    shapes = {"x": {x_axis: batch}}
    for n in ("h0", "c0"):
        if n in in_names:
            shapes[n] = {0 if c.get("cell") else 1: batch}
    return shapes


def cell_sampler(c):
    """sample(seq, batch) of a CellNet: x [batch, input] and h0, c0 [batch, hidden] for a step, x [seq, batch, input] for a loop."""
    def sample(seq, batch):
        if c["loop"]:
            return [torch.randn(seq, batch, c["input"])]
        return [torch.randn(batch, c["input"]), 0.5 * torch.randn(batch, c["hidden"]), 0.5 * torch.randn(batch, c["hidden"])]
    return sample


def cell_axes(c, in_names, out_names):
    """dynamic_axes (TorchScript exporter) of a CellNet step: the batch axis of every value."""
    return None if c["dyn"] == "fix" else {n: {0: "batch"} for n in in_names + out_names}


def export(c):
    if c.get("cell"):
        seed = zlib.crc32(c["name"].encode())
        torch.manual_seed(seed)
        net = CellNet(c).eval()
        in_names, out_names = ["x"] + ([] if c["loop"] else ["h0", "c0"]), ["y"] if c["loop"] else ["logits", "hn", "cn"]
        sample = cell_sampler(c)
    else:
        seed, net = base.build_net(c)
        in_names, out_names = base.io_names(c)
        sample = base.sampler(c)

    def write_model(path, args):
        if c["exporter"] == "dynamo":
            torch.onnx.export(net, args, path, dynamo=True, input_names=in_names, output_names=out_names,
                              dynamic_shapes=dynamic_shapes(c, in_names), opset_version=c["opset"], verbose=False)
        else:
            torch.onnx.export(net, args, path, dynamo=False, input_names=in_names, output_names=out_names,
                              dynamic_axes=(cell_axes if c.get("cell") else base.dynamic_axes)(c, in_names, out_names), opset_version=c["opset"])
    return base.export_model(c, OUT, "torch2", seed, net, in_names, out_names, sample, write_model, {"exporter": c["exporter"]})


def main():
    torch.set_num_threads(1)
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    entries = []
    for c in models():
        e = export(c)
        entries.append(e)
        print(f"{e['name']}: {e['bytes']} bytes, opset {e['opset']}; ops {' '.join(e['op_types'])}", file=sys.stderr)
    import onnxscript
    manifest = {"generator": "tools/scripts/corpus/make_torch2_corpus.py",
                "versions": {"torch": torch.__version__, "onnx": onnx.__version__, "onnxscript": onnxscript.__version__},
                "models": entries}
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
