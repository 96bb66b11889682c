"""PyTorch side of convlab's benchmark: the same workloads as packages/bench/src/workloads.ts.

Runs as a child of the Node benchmark and answers one JSON line per request on stdin:
  {"op": "prepare", "workload": NAME}  -> {"work": images or FLOP per sample}
  {"op": "run"}                        -> {"ms": milliseconds of one sample}
The first line it prints describes the interpreter: {"torch": version, "threads": n}.
Threads are set explicitly (Debian's build defaults to one here).
"""
import gzip
import json
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

THREADS = int(sys.argv[1]) if len(sys.argv) > 1 else 2
FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist"
FASHION_MNIST_MEAN, FASHION_MNIST_STD = 0.2860, 0.3530
CONV64 = dict(batch=8, channels=64, size=56, kernel=3)
# The CIFAR VGG-style net: (in, out) pairs are Conv2d 3x3 pad 1 -> BatchNorm2d -> ReLU; "pool" a MaxPool2d 2.
CIFAR_VGG = [(3, 32), (32, 32), "pool", (32, 64), (64, 64), "pool", (64, 128), "pool"]
# Batch and input [C, H, W] of the course-sized network workloads (workloads.ts: NETWORK_INPUTS).
NETWORK_INPUTS = {
    "cifar-vgg-train-b128": (128, (3, 32, 32)),
    "resnet18-train-b8-112": (8, (3, 112, 112)),
    "resnet18-infer-b1": (1, (3, 224, 224)),
    "vgg16-infer-b1": (1, (3, 224, 224)),
}


def wave(n, phase):
    """sin(i * 0.7071 + phase), the benchmark's deterministic values."""
    return torch.from_numpy(np.sin(np.arange(n, dtype=np.float64) * 0.7071 + phase).astype(np.float32))


def cyclic_labels(n):
    return torch.tensor([(i * 7) % 10 for i in range(n)], dtype=torch.long)


class LeNet(nn.Module):
    """The PyTorch tutorial's LeNet (32x32 input)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def cifar_vgg():
    layers = []
    for step in CIFAR_VGG:
        if step == "pool":
            layers.append(nn.MaxPool2d(2))
        else:
            layers += [nn.Conv2d(step[0], step[1], 3, padding=1), nn.BatchNorm2d(step[1]), nn.ReLU()]
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(128 * 4 * 4, 10))


def network(workload):
    """The model of a course-sized network workload (torchvision's ResNet-18 and VGG-16)."""
    if workload == "cifar-vgg-train-b128":
        return cifar_vgg()
    import torchvision  # python3-torchvision; a missing module is reported and the workload skipped
    return torchvision.models.vgg16() if workload.startswith("vgg16") else torchvision.models.resnet18()


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def prepare(workload):
    """Returns (work per sample, sample function)."""
    torch.manual_seed(1)
    if workload == "lenet-train-b64":
        model = LeNet()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        x = wave(64 * 32 * 32, 0).reshape(64, 1, 32, 32)
        y = cyclic_labels(64)
        return 64, lambda: train_step(model, optimizer, x, y)
    if workload == "lenet-infer-b256":
        model = LeNet().eval()
        x = wave(256 * 32 * 32, 0).reshape(256, 1, 32, 32)

        def infer():
            with torch.no_grad():
                return model(x)[0, 0].item()
        return 256, infer
    if workload in ("conv64-fwd", "conv64-fwdbwd"):
        n, c, s, k = CONV64["batch"], CONV64["channels"], CONV64["size"], CONV64["kernel"]
        x = wave(n * c * s * s, 0).reshape(n, c, s, s).requires_grad_()
        w = (wave(c * c * k * k, 1) * 0.05).reshape(c, c, k, k).requires_grad_()
        b = wave(c, 2).requires_grad_()
        flops = 2 * n * c * s * s * c * k * k
        if workload == "conv64-fwd":
            def forward():
                with torch.no_grad():
                    return F.conv2d(x, w, b, padding=1)
            return flops, forward
        g = wave(n * c * s * s, 3).reshape(n, c, s, s)

        def forward_backward():
            x.grad = w.grad = b.grad = None
            F.conv2d(x, w, b, padding=1).backward(g)
        return 3 * flops, forward_backward
    if workload in NETWORK_INPUTS:
        batch, (c, h, w) = NETWORK_INPUTS[workload]
        model = network(workload)
        x = wave(batch * c * h * w, 0).reshape(batch, c, h, w)
        if "-train-" in workload:
            optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
            y = cyclic_labels(batch)
            return batch, lambda: train_step(model, optimizer, x, y)
        model.eval()

        def infer_network():
            with torch.no_grad():
                return model(x)[0, 0].item()
        return batch, infer_network
    if workload == "lenet-epoch":
        images = torch.from_numpy(read_idx(f"{FASHION_MNIST_DIR}/train-images-idx3-ubyte.gz").copy())
        labels = torch.from_numpy(read_idx(f"{FASHION_MNIST_DIR}/train-labels-idx1-ubyte.gz").astype(np.int64))
        model = LeNet()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        generator = torch.Generator().manual_seed(1)

        def epoch():
            order = torch.randperm(len(images), generator=generator)
            for start in range(0, len(images), 64):
                index = order[start:start + 64]
                x = (images[index].float().div_(255).sub_(FASHION_MNIST_MEAN).div_(FASHION_MNIST_STD)).unsqueeze(1)
                train_step(model, optimizer, F.pad(x, (2, 2, 2, 2)), labels[index])
        return len(images), epoch
    raise ValueError(f"unknown workload {workload}")


def main():
    torch.set_num_threads(THREADS)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    sample = None
    for line in sys.stdin:
        request = json.loads(line)
        try:
            if request["op"] == "prepare":
                work, sample = prepare(request["workload"])
                reply = {"work": work}
            elif request["op"] == "run":
                start = time.perf_counter()
                for _ in range(request.get("repeat", 1)):
                    sample()
                reply = {"ms": (time.perf_counter() - start) * 1000}
            else:
                reply = {"error": f"unknown op {request['op']}"}
        except Exception as error:  # reported to the benchmark, which skips the workload
            reply = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
