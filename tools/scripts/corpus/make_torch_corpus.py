#!/usr/bin/python3
"""Export the torch part of the real-model corpus: nn.LSTM in the configurations
torch offers, with heads, a Conv1d front end, a single-step stateful model and
keyword-spotting style models, each with torch's own outputs as expected data.

Regenerate (from the repository root):

    /usr/bin/python3 tools/scripts/corpus/make_torch_corpus.py

Needs Debian's python3-torch (1.13) and python3-onnx (1.12). Every model is
seeded from its name (crc32), torch runs single-threaded, so the output is
deterministic for a given torch build. The script deletes and rewrites
tools/test/corpus/torch/ and tools/test/corpus/manifest.json (whose "silero"
part it fills in from tools/test/corpus/silero/ as make_silero_expected.mjs
left it: run that first).

Layout per model (ONNX's test data layout, which `lstmc run --data` reads):
    tools/test/corpus/torch/<name>/model.onnx
    tools/test/corpus/torch/<name>/test_data_set_0/input_N.pb, output_N.pb
    tools/test/corpus/torch/<name>/test_data_set_1/...   (dynamic axes only:
                                                          other seq and batch)
input_N.pb follow the graph-input order and output_N.pb the graph-output
order; each TensorProto carries its value's name. Expected outputs are what
the torch module returns, not what an ONNX runtime computes.

A model's name spells its configuration:
    lstm-<L>l-<uni|bidir>-<tm|bf>-<h0|noh0>-<dyn|dynb|fix>-op<N>-<fold|nofold>[-state][-<extra>]
      tm/bf    time-major or batch_first input
      h0       h0 and c0 are graph inputs (otherwise torch builds zero states)
      dyn      dynamic_axes on sequence and batch; dynb: batch only; fix: none
      state    the model returns (y, hn, cn), not y alone
      nobias   nn.LSTM(bias=False); unbatched: 2-D input [seq, input]
Other families (heads, conv front ends, single step, kws) prefix their kind.
"""
import json
import os
import shutil
import sys
import warnings
import zlib

import numpy as np
import onnx
import torch
from onnx import numpy_helper

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../.."))
CORPUS = os.path.join(REPO, "tools/test/corpus")
OUT = os.path.join(CORPUS, "torch")

I, H = 8, 16          # default input and hidden sizes (hidden <= 32, input <= 16)
SEQ, BATCH = 7, 2     # export shapes, also test_data_set_0
SEQ1, BATCH1 = 11, 3  # test_data_set_1 of dynamic-axes models


class Net(torch.nn.Module):
    """nn.LSTM with an optional front end and head.

    front: None | "conv" (x is [batch, channels, time]; Conv1d stack, then the
           time axis moves to where the LSTM wants it) | "layernorm" | "matmul"
    head:  None | "linear" (every step) | "last" (y[-1] or y[:, -1]) | "slice"
           (the last 3 steps by slicing) | "mean" (over time) | "hn" (hn of
           the last layer; both directions concatenated when bidirectional) |
           "flatten" (all steps flattened, fixed seq)
    act:   None | "softmax" | "logsoftmax", applied after the head's Linear
    """

    def __init__(self, c):
        super().__init__()
        self.c = c
        d = 2 if c["bidir"] else 1
        self.front = None
        i = c["input"]
        if c["front"] == "conv":
            layers = []
            ch = c["input"]
            for spec in c["convs"]:
                layers.append(torch.nn.Conv1d(ch, spec["out"], spec["k"], stride=spec.get("s", 1), padding=spec.get("p", 0), dilation=spec.get("d", 1), groups=spec.get("g", 1)))
                for post in spec.get("post", []):
                    layers.append(torch.nn.ReLU() if post == "relu" else torch.nn.BatchNorm1d(spec["out"]))
                ch = spec["out"]
            self.front = torch.nn.Sequential(*layers)
            i = ch
        elif c["front"] == "layernorm":
            self.front = torch.nn.LayerNorm(i)
        elif c["front"] == "matmul":
            self.proj = torch.nn.Parameter(torch.randn(i, i) / i ** 0.5)
        self.lstm = torch.nn.LSTM(i, c["hidden"], num_layers=c["layers"], bias=c["bias"], batch_first=c["bf"], bidirectional=c["bidir"])
        self.dropout = torch.nn.Dropout(0.3)
        feat = d * c["hidden"]
        if c["head"] == "flatten":
            feat *= c["seq"]
        self.linear = torch.nn.Linear(feat, c["classes"]) if c["head"] is not None else None

    def forward(self, x, h0=None, c0=None):
        c = self.c
        if c["front"] == "conv":
            x = self.front(x)  # [batch, channels, time]
            x = x.permute(0, 2, 1) if c["bf"] else x.permute(2, 0, 1)
        elif c["front"] == "layernorm":
            x = self.front(x)
        elif c["front"] == "matmul":
            x = torch.matmul(x, self.proj)
        y, (hn, cn) = self.lstm(x, (h0, c0)) if h0 is not None else self.lstm(x)
        head = c["head"]
        if head is None:
            return (y, hn, cn) if c["state"] else y
        t = 1 if c["bf"] else 0  # time axis of y
        if head == "linear":
            z = self.linear(y)
        elif head == "last":
            z = self.linear(y[:, -1] if c["bf"] else y[-1])
        elif head == "slice":
            z = self.linear(y[:, -3:, :] if c["bf"] else y[-3:])
        elif head == "mean":
            z = self.linear(y.mean(dim=t))
        elif head == "hn":
            z = self.linear(torch.cat([hn[-2], hn[-1]], dim=1) if c["bidir"] else hn[-1])
        elif head == "flatten":
            z = self.linear(torch.flatten(self.dropout(y), 1))
        else:
            raise ValueError(head)
        if c["act"] == "softmax":
            z = torch.softmax(z, dim=-1)
        elif c["act"] == "logsoftmax":
            z = torch.log_softmax(z, dim=-1)
        return (z, hn, cn) if c["state"] else z


def config(name, **kw):
    c = dict(name=name, layers=1, bidir=False, bf=False, h0=False, dyn="dyn", opset=14, fold=True, state=False,
             bias=True, input=I, hidden=H, head=None, act=None, classes=5, front=None, convs=None,
             seq=SEQ, batch=BATCH, seq1=SEQ1, batch1=BATCH1, unbatched=False)
    for k, v in kw.items():
        if k not in c:
            raise KeyError(k)
        c[k] = v
    return c


def lstm(layers, bidir, bf, h0, dyn, opset, fold, state=False, extra=None, **kw):
    name = f"lstm-{layers}l-{'bidir' if bidir else 'uni'}-{'bf' if bf else 'tm'}-{'h0' if h0 else 'noh0'}-{dyn}-op{opset}-{'fold' if fold else 'nofold'}"
    if state:
        name += "-state"
    if extra:
        name += f"-{extra}"
    return config(name, layers=layers, bidir=bidir, bf=bf, h0=h0, dyn=dyn, opset=opset, fold=fold, state=state, **kw)


def models():
    """The corpus: every option and op pattern covered, not their product."""
    m = [
        # One layer: every opset with and without folding, fixed and dynamic, h0 and state.
        lstm(1, False, False, False, "fix", 14, True),  # the plainest export (issue 9)
        lstm(1, False, False, False, "dyn", 14, True),
        lstm(1, False, False, False, "dyn", 11, True),
        lstm(1, False, False, False, "dyn", 17, True),
        lstm(1, False, False, False, "dyn", 14, False),
        lstm(1, False, False, False, "fix", 11, False),
        lstm(1, False, False, False, "fix", 17, False),
        lstm(1, False, False, True, "fix", 14, True),
        lstm(1, False, False, True, "dyn", 14, True, state=True),
        lstm(1, False, False, True, "dyn", 11, False, state=True),
        lstm(1, False, False, False, "dyn", 17, True, state=True),
        lstm(1, False, True, False, "dyn", 14, True),
        lstm(1, False, True, True, "fix", 17, True, state=True),
        lstm(1, False, True, False, "fix", 11, False),
        lstm(1, True, False, False, "dyn", 14, True),
        lstm(1, True, False, True, "dyn", 17, False, state=True),
        lstm(1, True, True, False, "fix", 11, True),
        lstm(1, True, True, True, "dyn", 14, True, state=True),
        lstm(1, False, False, False, "dyn", 14, True, state=True, extra="unbatched", unbatched=True),
        lstm(1, False, False, False, "fix", 14, True, extra="h32-i16", hidden=32, input=16),
        # Two layers.
        lstm(2, False, False, False, "dyn", 14, True),
        lstm(2, False, False, False, "fix", 17, False),
        lstm(2, False, False, True, "dyn", 11, True, state=True),
        lstm(2, False, True, False, "dyn", 17, True),
        lstm(2, False, True, True, "fix", 14, False, state=True),
        lstm(2, True, False, False, "dyn", 17, True),
        lstm(2, True, False, True, "fix", 11, False, state=True),
        lstm(2, True, True, False, "dyn", 14, True),
        lstm(2, True, True, False, "dyn", 11, False, state=True),
        lstm(2, True, True, True, "dyn", 17, True, state=True),
        lstm(2, True, True, True, "fix", 14, True, state=True, extra="nobias", bias=False),
        # Three layers.
        lstm(3, False, False, False, "dyn", 14, True),
        lstm(3, False, True, True, "dyn", 17, True, state=True),
        lstm(3, True, False, False, "fix", 17, True),
        lstm(3, True, True, False, "dyn", 11, False, state=True),
        lstm(3, True, False, True, "dyn", 14, False, state=True),
        # Heads.
        config("head-linear-1l-tm-dyn-op14", head="linear"),
        config("head-linear-softmax-1l-bf-dyn-op11", head="linear", act="softmax", bf=True, opset=11),
        config("head-linear-logsoftmax-2l-bidir-tm-fix-op17-nofold", head="linear", act="logsoftmax", layers=2, bidir=True, dyn="fix", opset=17, fold=False),
        config("head-last-gather-linear-softmax-2l-tm-dyn-op17", head="last", act="softmax", layers=2, opset=17),
        config("head-last-gather-linear-logsoftmax-2l-bidir-tm-dyn-op11-nofold", head="last", act="logsoftmax", layers=2, bidir=True, opset=11, fold=False),
        config("head-last-gather-linear-1l-tm-fix-op14", head="last", dyn="fix"),
        config("head-last-select-linear-1l-bf-dyn-op14", head="last", bf=True),
        config("head-last-select-linear-softmax-2l-bidir-bf-fix-op17", head="last", act="softmax", layers=2, bidir=True, bf=True, dyn="fix", opset=17),
        config("head-slice-linear-1l-bf-dyn-op11", head="slice", bf=True, opset=11),
        config("head-slice-linear-2l-tm-dyn-op17-nofold", head="slice", layers=2, opset=17, fold=False),
        config("head-mean-linear-1l-tm-dyn-op14", head="mean"),
        config("head-mean-linear-softmax-2l-bidir-bf-dyn-op17", head="mean", act="softmax", layers=2, bidir=True, bf=True, opset=17),
        config("head-hn-linear-softmax-2l-tm-dyn-op14", head="hn", act="softmax", layers=2),
        config("head-hn-concat-linear-1l-bidir-bf-dyn-op11", head="hn", bidir=True, bf=True, opset=11),
        # Conv1d front ends: x is [batch, channels, time].
        config("conv-k3p1-relu-bn-lstm-1l-tm-dyn-op14", front="conv", convs=[dict(out=12, k=3, p=1, post=["relu", "bn"])], seq=9, seq1=12),
        config("conv-k5p2s2-bn-relu-lstm-1l-bf-dyn-op17", front="conv", bf=True, opset=17, convs=[dict(out=12, k=5, p=2, s=2, post=["bn", "relu"])], seq=10, seq1=12),
        config("conv-k3p0d2-relu-lstm-2l-tm-dyn-op11-nofold", front="conv", layers=2, opset=11, fold=False, convs=[dict(out=12, k=3, d=2, post=["relu"])], seq=10, seq1=12),
        config("conv-2stage-g2-lstm-1l-bf-last-linear-fix-op14", front="conv", bf=True, dyn="fix", head="last", seq=12,
               convs=[dict(out=12, k=3, p=1, s=2, post=["relu"]), dict(out=12, k=3, p=2, d=2, g=2, post=["bn", "relu"])]),
        config("conv-k3p1-bn-lstm-1l-bidir-tm-dyn-op17-nofold", front="conv", bidir=True, opset=17, fold=False, convs=[dict(out=12, k=3, p=1, post=["bn"])], seq=9, seq1=12),
        # Stateful single step: seq 1, h0/c0 in, hn/cn out.
        config("step-1l-h0-state-fix-op14", h0=True, state=True, dyn="fix", seq=1, batch=1),
        config("step-2l-h0-state-linear-dynb-op17", h0=True, state=True, layers=2, dyn="dynb", head="linear", opset=17, seq=1, batch=1, seq1=1, batch1=2),
        config("step-2l-h0-state-fix-op11-nofold", h0=True, state=True, layers=2, dyn="fix", opset=11, fold=False, seq=1, batch=1),
        # Keyword-spotting style: [batch, time, feat], LayerNorm / MatMul / Dropout (eval) / Flatten.
        config("kws-layernorm-lstm-bf-flatten-linear-logsoftmax-dynb-op17", front="layernorm", bf=True, head="flatten", act="logsoftmax", dyn="dynb", opset=17, classes=4, seq=8, seq1=8),
        config("kws-layernorm-lstm-bf-flatten-linear-logsoftmax-dynb-op14", front="layernorm", bf=True, head="flatten", act="logsoftmax", dyn="dynb", opset=14, classes=4, seq=8, seq1=8),
        config("kws-matmul-lstm-2l-bf-last-linear-softmax-dyn-op11-nofold", front="matmul", bf=True, layers=2, head="last", act="softmax", opset=11, fold=False, classes=4),
    ]
    names = [c["name"] for c in m]
    assert len(names) == len(set(names)), "duplicate model names"
    return m


def shapes(c, seq, batch):
    """Torch-side shapes of (x, h0) for one data set."""
    d = 2 if c["bidir"] else 1
    if c["unbatched"]:  # nn.LSTM's 2-D input: [seq, input], states [layers*dirs, hidden]
        return (seq, c["input"]), (c["layers"] * d, c["hidden"])
    if c["front"] == "conv":
        x = (batch, c["input"], seq)
    else:
        x = (batch, seq, c["input"]) if c["bf"] else (seq, batch, c["input"])
    return x, (c["layers"] * d, batch, c["hidden"])


def dynamic_axes(c, in_names, out_names):
    """torch's dynamic_axes: seq and batch (dyn) or batch only (dynb), on every value that has them."""
    if c["dyn"] == "fix":
        return None
    tb = {0: "batch", 1: "seq"} if c["bf"] else {0: "seq", 1: "batch"}
    if c["unbatched"]:
        tb = {0: "seq"}
    x_axes = {0: "batch", 2: "seq"} if c["front"] == "conv" else tb
    head = c["head"]
    if head in (None, "linear"):
        first = tb                      # y or Linear(y): [seq, batch, .] or [batch, seq, .]
    elif head == "slice":
        first = {0: "batch"} if c["bf"] else {1: "batch"}
    else:
        first = {0: "batch"}            # one vector per sequence
    keep = (lambda a: a) if c["dyn"] == "dyn" else (lambda a: {k: v for k, v in a.items() if v == "batch"})
    axes = {"x": keep(x_axes), out_names[0]: keep(first)}
    for n in ("h0", "c0", "hn", "cn"):
        if (n in in_names or n in out_names) and not c["unbatched"]:
            axes[n] = {1: "batch"}
    return axes


def write_set(folder, in_names, inputs, out_names, outputs):
    os.makedirs(folder, exist_ok=True)
    for k, (n, a) in enumerate(zip(in_names, inputs)):
        with open(os.path.join(folder, f"input_{k}.pb"), "wb") as f:
            f.write(numpy_helper.from_array(a, name=n).SerializeToString())
    for k, (n, a) in enumerate(zip(out_names, outputs)):
        with open(os.path.join(folder, f"output_{k}.pb"), "wb") as f:
            f.write(numpy_helper.from_array(a, name=n).SerializeToString())


def value_info(v):
    t = v.type.tensor_type
    return {"name": v.name, "dtype": onnx.TensorProto.DataType.Name(t.elem_type).lower(),
            "shape": [d.dim_param if d.dim_param else d.dim_value for d in t.shape.dim]}


def build_net(c):
    """The configuration's Net, seeded from its name, in eval mode; returns (seed, net)."""
    seed = zlib.crc32(c["name"].encode())
    torch.manual_seed(seed)
    net = Net(c)
    # Non-trivial BatchNorm statistics, so inference-mode BN is not the identity.
    for mod in net.modules():
        if isinstance(mod, torch.nn.BatchNorm1d):
            with torch.no_grad():
                mod.running_mean.uniform_(-0.5, 0.5)
                mod.running_var.uniform_(0.5, 2.0)
                mod.weight.uniform_(0.5, 1.5)
                mod.bias.uniform_(-0.3, 0.3)
    net.eval()
    return seed, net


def io_names(c):
    """Graph input and output names of the configuration's export."""
    in_names = ["x"] + (["h0", "c0"] if c["h0"] else [])
    out_names = (["y"] if c["head"] is None else ["logits" if c["act"] is None else ("probs" if c["act"] == "softmax" else "logprobs")]) + (["hn", "cn"] if c["state"] else [])
    return in_names, out_names


def sampler(c):
    """sample(seq, batch): random inputs of one data set (x, and h0/c0 when they are inputs)."""
    def sample(seq, batch):
        xs, hs = shapes(c, seq, batch)
        t = [torch.randn(*xs)]
        if c["h0"]:
            t += [0.5 * torch.randn(*hs), 0.5 * torch.randn(*hs)]
        return t
    return sample


def write_data_sets(c, net, folder, dummy, sample, in_names, out_names):
    """test_data_set_0 (the export's inputs) and, with dynamic axes, test_data_set_1, with the net's outputs; their manifest entries."""
    sets = [(c["seq"], c["batch"])]
    if c["dyn"] != "fix":
        sets.append((c["seq1"], c["batch1"]))
    data_sets = []
    for k, (seq, batch) in enumerate(sets):
        inputs = dummy if k == 0 else sample(seq, batch)
        with torch.no_grad():
            outs = net(*inputs)
        outs = outs if isinstance(outs, tuple) else (outs,)
        ins = [t.numpy().astype(np.float32) for t in inputs]
        outs = [t.numpy().astype(np.float32) for t in outs]
        write_set(os.path.join(folder, f"test_data_set_{k}"), in_names, ins, out_names, outs)
        data_sets.append({"name": f"test_data_set_{k}", "inputs": {n: list(a.shape) for n, a in zip(in_names, ins)},
                          "outputs": {n: list(a.shape) for n, a in zip(out_names, outs)}})
    return data_sets


def checked(path, in_names, out_names, name):
    """The exported model, checked by onnx, with the graph inputs and outputs it should have."""
    model = onnx.load(path)
    onnx.checker.check_model(model)
    graph_in = [i.name for i in model.graph.input]
    graph_out = [o.name for o in model.graph.output]
    assert graph_in == in_names, (name, graph_in)
    assert graph_out == out_names, (name, graph_out)
    return model


def saved_config(c, seed):
    """The configuration as the manifest records it (keys that do not apply left out) and its seed."""
    unused = {"name"} | ({"classes", "act"} if c["head"] is None else set()) | ({"seq1", "batch1"} if c["dyn"] == "fix" else set())
    cfg = {k: v for k, v in c.items() if k not in unused and v is not None}
    cfg["seed"] = seed
    return cfg


def export_model(c, out_dir, kind, seed, net, in_names, out_names, sample, write_model, extra=None):
    """Exports `net` by `write_model(path, args)` (the exporter call) on the first data set's inputs
    into out_dir/<name>/model.onnx, checks it, writes the data sets with the net's outputs; returns
    the model's manifest entry (`extra` keys after its config)."""
    dummy = sample(c["seq"], c["batch"])
    folder = os.path.join(out_dir, c["name"])
    os.makedirs(folder)
    path = os.path.join(folder, "model.onnx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        write_model(path, tuple(dummy))
    model = checked(path, in_names, out_names, c["name"])
    data_sets = write_data_sets(c, net, folder, dummy, sample, in_names, out_names)
    ops = {}
    for n in model.graph.node:
        ops[n.op_type] = ops.get(n.op_type, 0) + 1
    return {"name": c["name"], "path": f"{kind}/{c['name']}", "config": saved_config(c, seed), **(extra or {}), "opset": c["opset"],
            "inputs": [value_info(v) for v in model.graph.input], "outputs": [value_info(v) for v in model.graph.output],
            "op_types": dict(sorted(ops.items())), "data_sets": data_sets, "bytes": os.path.getsize(path)}


def export(c):
    seed, net = build_net(c)
    in_names, out_names = io_names(c)

    def write_model(path, args):
        torch.onnx.export(net, args, path, input_names=in_names, output_names=out_names,
                          dynamic_axes=dynamic_axes(c, in_names, out_names), opset_version=c["opset"],
                          do_constant_folding=c["fold"])
    return export_model(c, OUT, "torch", seed, net, in_names, out_names, sampler(c), write_model)


def count_ops(graph, depth=0):
    """Op counts of a graph and of all its subgraphs (If branches, ...), and the deepest If nesting."""
    ops, deepest = {}, depth
    for n in graph.node:
        ops[n.op_type] = ops.get(n.op_type, 0) + 1
        for a in n.attribute:
            subs = ([a.g] if a.type == onnx.AttributeProto.GRAPH else []) + list(a.graphs)
            for g in subs:
                sub, d = count_ops(g, depth + (n.op_type == "If"))
                deepest = max(deepest, d)
                for k, v in sub.items():
                    ops[k] = ops.get(k, 0) + v
    return ops, deepest


def silero_entries():
    """The Silero models as make_silero_expected.mjs left them (its data sets, its stream-expected.json)."""
    root = os.path.join(CORPUS, "silero")
    entries = []
    for name in sorted(os.listdir(root)):
        folder = os.path.join(root, name)
        if not os.path.isfile(os.path.join(folder, "model.onnx")):
            continue
        model = onnx.load(os.path.join(folder, "model.onnx"))
        top = {}
        for n in model.graph.node:
            top[n.op_type] = top.get(n.op_type, 0) + 1
        every, depth = count_ops(model.graph)
        with open(os.path.join(folder, "stream-expected.json")) as f:
            streams = json.load(f)["streams"]
        entries.append({"name": name, "path": f"silero/{name}", "source": "SOURCE.md", "opset": next(o.version for o in model.opset_import if o.domain in ("", "ai.onnx")),
                        "inputs": [value_info(v) for v in model.graph.input], "outputs": [value_info(v) for v in model.graph.output],
                        "op_types": dict(sorted(top.items())), "op_types_with_subgraphs": dict(sorted(every.items())), "if_nesting": depth,
                        "data_sets": sorted(d for d in os.listdir(folder) if d.startswith("test_data_set_")),
                        "streams": [{"frame": s["frame"], "context": s["context"], "frames": s["frames"]} for s in streams],
                        "bytes": os.path.getsize(os.path.join(folder, "model.onnx"))})
    return entries


def main():
    torch.set_num_threads(1)
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    manifest_path = os.path.join(CORPUS, "manifest.json")
    entries = []
    for c in models():
        e = export(c)
        entries.append(e)
        print(f"{e['name']}: {e['bytes']} bytes; ops {' '.join(e['op_types'])}", file=sys.stderr)
    manifest = {"generator": {"torch": "tools/scripts/corpus/make_torch_corpus.py", "silero": "tools/scripts/corpus/make_silero_expected.mjs",
                              "manifest": "tools/scripts/corpus/make_torch_corpus.py"},
                "versions": {"torch": torch.__version__, "onnx": onnx.__version__},
                "torch": entries, "silero": silero_entries()}
    with open(manifest_path, "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    print(f"{len(entries)} torch models", file=sys.stderr)


if __name__ == "__main__":
    main()
