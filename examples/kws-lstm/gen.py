#!/usr/bin/python3
"""Generate the bundled example: a small pruned keyword-spotting LSTM.

Regenerate (from the repository root):  /usr/bin/python3 examples/kws-lstm/gen.py
Needs Debian's python3-torch and python3-onnx. Output is deterministic for a
given torch build (seeded); the files are committed so tests never run python.

Network: log-mel frames [seq, batch, 40] -> 2-layer LSTM (hidden 64) -> last
time step -> Linear(64, 12) -> Softmax: 12 keyword classes. It is trained
briefly on synthetic "keywords" (each class a fixed sequence of 8 spectral
templates, stretched over the utterance, plus noise), then every weight
matrix (W and R of each layer, the Linear weight) is magnitude-pruned to 80%
exact zeros and fine-tuned with the zeros held, which is what lstmc's sparse
mode is for. Biases stay dense.

Writes, next to this script:
  model.onnx                    torch.onnx.export, opset 17, dynamic seq/batch
  test_data_set_0/input_0.pb    features [25, 2, 40]: keywords of class 3 and 7
  test_data_set_0/output_0.pb   probs [2, 12] computed by torch (the reference)

With `--sparse`, writes the same files into ../kws-lstm-sparse/ for the
sparse variant instead: weights pruned to 92% zeros and noise-gated features
(max(0, x - 0.3): about 60% exact zeros per frame, varying from frame to
frame), so the accelerator picks the sparse-weight mode, encodes the
matrices, and branches at run time on each input vector's zero count.
"""
import os
import sys

import numpy as np
import onnx
import torch
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
N_MELS, HIDDEN, LAYERS, CLASSES = 40, 64, 2, 12
SPARSITY = 0.8
# The --sparse variant: sparsity of every weight matrix, and the noise gate of the features.
SPARSE_VARIANT = {"sparsity": 0.92, "gate": 0.3}


class KeywordSpotter(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(N_MELS, HIDDEN, num_layers=LAYERS)
        self.head = torch.nn.Linear(HIDDEN, CLASSES)

    def forward(self, features):
        y, _ = self.lstm(features)
        return torch.softmax(self.head(y[-1]), dim=-1)


def prune_(w, sparsity):
    """Zero the smallest-magnitude fraction `sparsity` of w, in place."""
    k = int(round(sparsity * w.numel()))
    threshold = w.abs().flatten().kthvalue(k).values
    w[w.abs() <= threshold] = 0.0


def keywords(templates, labels, seq, gate=None):
    """Synthetic utterances [seq, batch, N_MELS] for the given class labels (noise-gated: max(0, x - gate))."""
    segments = templates.shape[1]
    idx = torch.arange(seq) * segments // seq
    x = templates[labels][:, idx, :].transpose(0, 1)
    x = x + 0.6 * torch.randn_like(x)
    return x if gate is None else torch.clamp(x - gate, min=0.0)


def train(model, templates, steps, masks=None, gate=None):
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    for _ in range(steps):
        labels = torch.randint(0, CLASSES, (64,))
        seq = int(torch.randint(15, 40, ()).item())
        logits = model.head(model.lstm(keywords(templates, labels, seq, gate))[0][-1])
        loss = torch.nn.functional.cross_entropy(logits, labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if masks:
            with torch.no_grad():
                for p, m in masks:
                    p.mul_(m)


def accuracy(model, templates, gate=None):
    labels = torch.arange(CLASSES).repeat(20)
    with torch.no_grad():
        return float((model(keywords(templates, labels, 25, gate)).argmax(-1) == labels).float().mean())


def main(sparse_variant=False):
    sparsity, gate = (SPARSE_VARIANT["sparsity"], SPARSE_VARIANT["gate"]) if sparse_variant else (SPARSITY, None)
    out = os.path.join(os.path.dirname(HERE), "kws-lstm-sparse") if sparse_variant else HERE
    torch.manual_seed(20261128)
    torch.set_num_threads(1)
    templates = torch.randn(CLASSES, 8, N_MELS)
    model = KeywordSpotter()
    train(model, templates, 300, gate=gate)
    masks = []
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "weight" in name:
                prune_(p, sparsity)
                masks.append((p, (p != 0).float()))
    train(model, templates, 200, masks, gate)
    model.eval()
    print("accuracy after pruning + fine-tuning:", accuracy(model, templates, gate))

    dummy = torch.randn(10, 1, N_MELS)
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "model.onnx")
    export_kwargs = dict(
        input_names=["features"],
        output_names=["probs"],
        dynamic_axes={"features": {0: "seq", 1: "batch"}, "probs": {0: "batch"}},
        opset_version=17,
        do_constant_folding=True,
    )
    try:  # newer torch: keep the TorchScript exporter (Shape/Gather/... around the LSTM)
        torch.onnx.export(model, (dummy,), path, dynamo=False, **export_kwargs)
    except TypeError:
        torch.onnx.export(model, (dummy,), path, **export_kwargs)
    m = onnx.load(path)
    onnx.checker.check_model(m)

    # Reference data: a different seq and batch than the export dummy, so the
    # dynamic axes are exercised.
    features = keywords(templates, torch.tensor([3, 7]), 25, gate)
    with torch.no_grad():
        probs = model(features)
    ds = os.path.join(out, "test_data_set_0")
    os.makedirs(ds, exist_ok=True)
    for fname, name, arr in [("input_0.pb", "features", features), ("output_0.pb", "probs", probs)]:
        t = numpy_helper.from_array(arr.numpy().astype(np.float32), name=name)
        with open(os.path.join(ds, fname), "wb") as f:
            f.write(t.SerializeToString())

    ops = [n.op_type for n in m.graph.node]
    zeros = {i.name: float((numpy_helper.to_array(i) == 0).mean()) for i in m.graph.initializer if i.name.startswith("onnx::LSTM") or "weight" in i.name}
    print("ops:", ops)
    print("reference probs argmax:", probs.argmax(-1).tolist(), "max:", probs.max(-1).values.tolist())
    print("size:", os.path.getsize(path), "bytes; zero fraction:", zeros)
    print("input zero fraction:", float((features == 0).float().mean()))


if __name__ == "__main__":
    main(sparse_variant="--sparse" in sys.argv[1:])
