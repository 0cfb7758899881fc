#!/usr/bin/env python3
"""PyTorch CPU reference timings for the pix2pix benchmark configurations.

Tinct's copy of the shared reference ../shared/bench/torch_pix2pix.py (the shared file is
not edited). Only the CONFIGS table differs, so that it matches `tinct bench`
(Sources/Pix2Pix/Benchmark.swift) row for row — a test checks that
(Tests/Pix2PixTests/BenchmarkConfigurationTests.swift):
  - lineart-128, lineart-256: in_nc 9, not 5 — the line-art mode's input now also carries the
    dense hint fill (3 planes) and where it is known (1 plane), see ColorizationEncoding.swift;
  - photo-128 added: the shipped photo model's shape (models/default-photo: 6 input planes —
    L, hint a/b, mask, fill a/b — and 2 output planes, the chroma; ngf 16, ndf 32,
    6 downsamplings, batch 4 at 128 px).
The networks, the step and the timing are the reference's, unchanged.

Runs the reference pix2pix architecture (U-Net generator with skip connections,
BatchNorm, dropout in the three inner decoder blocks; 70x70 PatchGAN discriminator
with n_layers=3) on the CPU and prints one JSON line per configuration:

  infer_ms  median wall time of G(x) for one image, eval mode, no grad
  step_ms   median wall time of one full training step on `batch` images:
            G forward; D on (A, G(A).detach()) and (A, B); BCE-with-logits GAN loss;
            D backward + Adam; D on (A, G(A)); G loss = GAN + 100 * L1; G backward + Adam
  *_gflop   FLOPs counted by torch's FlopCounterMode; *_gflops_per_s = gflop / best time

Usage:  python3 torch_pix2pix.py [--only NAME] [--repeat N]
Needs:  pip install torch   (the default wheel; it pulls its CUDA libraries but runs on CPU)
Threads: torch uses every core (2 on these machines); run nothing else meanwhile and
compare ratios taken in the same run, never absolute times across runs.
"""
import argparse, json, time
import torch, torch.nn as nn
from torch.utils.flop_counter import FlopCounterMode

CONFIGS = [
    # name            size  ngf ndf downs batch in_nc out_nc
    ("pix2pix-256",    256, 64, 64, 8, 1, 3, 3),   # the paper's unet_256 + basic D, batch 1
    ("lineart-128",    128, 32, 32, 7, 4, 9, 3),   # line + hint RGB + mask + fill RGB + known -> RGB
    ("lineart-256",    256, 32, 32, 8, 1, 9, 3),
    ("photo-128",      128, 16, 32, 6, 4, 6, 2),   # L + hint ab + mask + fill ab -> ab
]

class UnetBlock(nn.Module):
    def __init__(self, outer, inner, input_nc=None, sub=None, outermost=False, innermost=False, dropout=False):
        super().__init__()
        self.outermost = outermost
        input_nc = input_nc or outer
        down = nn.Conv2d(input_nc, inner, 4, 2, 1, bias=False)
        if outermost:
            layers = [down, sub, nn.ReLU(True), nn.ConvTranspose2d(inner * 2, outer, 4, 2, 1), nn.Tanh()]
        elif innermost:
            layers = [nn.LeakyReLU(0.2, True), down, nn.ReLU(True),
                      nn.ConvTranspose2d(inner, outer, 4, 2, 1, bias=False), nn.BatchNorm2d(outer)]
        else:
            layers = [nn.LeakyReLU(0.2, True), down, nn.BatchNorm2d(inner), sub, nn.ReLU(True),
                      nn.ConvTranspose2d(inner * 2, outer, 4, 2, 1, bias=False), nn.BatchNorm2d(outer)]
            layers += [nn.Dropout(0.5)] if dropout else []
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        return self.model(x) if self.outermost else torch.cat([x, self.model(x)], 1)

class Wrapped(nn.Module):
    """Holds the network as `.model`, so state_dict keys match the reference implementation's
    UnetGenerator ("model.model.0.weight", ...) and NLayerDiscriminator ("model.0.weight", ...)."""
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model(x)

def unet(in_nc, out_nc, downs, ngf):
    block = UnetBlock(ngf * 8, ngf * 8, innermost=True)
    for _ in range(downs - 5):
        block = UnetBlock(ngf * 8, ngf * 8, sub=block, dropout=True)
    block = UnetBlock(ngf * 4, ngf * 8, sub=block)
    block = UnetBlock(ngf * 2, ngf * 4, sub=block)
    block = UnetBlock(ngf, ngf * 2, sub=block)
    return Wrapped(UnetBlock(out_nc, ngf, input_nc=in_nc, sub=block, outermost=True))

def patch_discriminator(in_nc, ndf, n_layers=3):
    seq, mult = [nn.Conv2d(in_nc, ndf, 4, 2, 1), nn.LeakyReLU(0.2, True)], 1
    for n in range(1, n_layers + 1):
        prev, mult = mult, min(2 ** n, 8)
        stride = 2 if n < n_layers else 1
        seq += [nn.Conv2d(ndf * prev, ndf * mult, 4, stride, 1, bias=False), nn.BatchNorm2d(ndf * mult), nn.LeakyReLU(0.2, True)]
    return Wrapped(nn.Sequential(*seq, nn.Conv2d(ndf * mult, 1, 4, 1, 1)))

def median_and_best(fn, repeat):
    fn(); fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
    times.sort()
    return times[len(times) // 2], times[0]

def counted_flops(fn):
    with FlopCounterMode(display=False) as counter:
        fn()
    return counter.get_total_flops()

def measure(name, size, ngf, ndf, downs, batch, in_nc, out_nc, repeat):
    torch.manual_seed(0)
    G, D = unet(in_nc, out_nc, downs, ngf), patch_discriminator(in_nc + out_nc, ndf)
    A, B = torch.randn(batch, in_nc, size, size), torch.randn(batch, out_nc, size, size)

    G.eval()
    def infer():
        with torch.inference_mode():
            G(A[:1])
    infer_flop = counted_flops(infer)
    infer_med, infer_best = median_and_best(infer, repeat + 2)

    G.train(); D.train()
    opt_G = torch.optim.Adam(G.parameters(), 2e-4, betas=(0.5, 0.999))
    opt_D = torch.optim.Adam(D.parameters(), 2e-4, betas=(0.5, 0.999))
    bce, l1 = nn.BCEWithLogitsLoss(), nn.L1Loss()
    def step():
        fake = G(A)
        opt_D.zero_grad()
        pred_fake, pred_real = D(torch.cat([A, fake.detach()], 1)), D(torch.cat([A, B], 1))
        loss_D = 0.5 * (bce(pred_fake, torch.zeros_like(pred_fake)) + bce(pred_real, torch.ones_like(pred_real)))
        loss_D.backward(); opt_D.step()
        opt_G.zero_grad()
        pred_fake = D(torch.cat([A, fake], 1))
        loss_G = bce(pred_fake, torch.ones_like(pred_fake)) + 100.0 * l1(fake, B)
        loss_G.backward(); opt_G.step()
    step_flop = counted_flops(step)
    step_med, step_best = median_and_best(step, repeat)
    return {"name": name, "impl": "pytorch-" + torch.__version__, "threads": torch.get_num_threads(),
            "size": size, "ngf": ngf, "ndf": ndf, "downs": downs, "batch": batch, "in_nc": in_nc,
            "G_params": sum(p.numel() for p in G.parameters()),
            "infer_ms": round(infer_med * 1e3, 1), "infer_gflop": round(infer_flop / 1e9, 2),
            "infer_gflops_per_s": round(infer_flop / infer_best / 1e9, 1),
            "step_ms": round(step_med * 1e3, 1), "step_gflop": round(step_flop / 1e9, 2),
            "step_gflops_per_s": round(step_flop / step_best / 1e9, 1),
            "train_imgs_per_s": round(batch / step_med, 2)}

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--only"); ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    for cfg in CONFIGS:
        if args.only in (None, cfg[0]):
            print(json.dumps(measure(*cfg, repeat=args.repeat)), flush=True)
