#!/usr/bin/env python3
"""PyTorch reference fixtures for Tinct's Swift tests.

Usage
-----
    python scripts/make_fixtures.py                 # regenerate every fixture (deterministic)
    python scripts/make_fixtures.py generate        # same
    python scripts/make_fixtures.py generate --only pix2pixhd_small   # one whole-model fixture
    python scripts/make_fixtures.py verify-checkpoint PATH --ngf 8 --downs 6 --in 3 --out 3 [--prefix G.]

Needs torch, safetensors and numpy (CPU only). Everything runs in float32 on one thread with
deterministic algorithms, and every case seeds torch from a hash of its own name, so rerunning
reproduces the same tensors and adding a case never changes the others.

Per-op fixtures: Tests/NNTests/Fixtures/ops/<case>.safetensors
---------------------------------------------------------------
One file per case; the file name is the case, the metadata key `op` names the operation.

  metadata        every value is a string: `op` plus the op's options, e.g. `kernel`, `stride`,
                  `padding`, `bias` ("true"/"false"), `in_channels`, `out_channels`,
                  `negative_slope`, `training` ("true"/"false"), `eps`, `momentum`, `p`, `scale`.
  in.<name>       inputs: `in.x` (and `in.y` for concat/add); losses take `in.x` = prediction and
                  `in.target`; dropout takes `in.mask` (0/1 floats); feature matching takes
                  `in.fake.0..2` and `in.real.0..2`.
  param.<name>    parameters under their PyTorch names (`param.weight`, `param.bias`,
                  `param.weight_orig`, `param.gamma`, `param.query_conv.weight`, ...).
  buffer.<name>   buffers before the forward (`buffer.running_mean`, `buffer.weight_u`, ...);
  buffer_after.<name>  the same buffers after the forward. num_batches_tracked is never stored.
  out             forward output. Scalar losses are stored with shape [1].
  grad_out        upstream gradient, shape of `out` (losses: shape [1], value 1.0).
  grad.in.<name>, grad.param.<name>
                  gradients of sum(out * grad_out) w.r.t. the differentiable inputs / parameters.
                  Targets, masks and `in.real.*` get no gradient.

Optimizer and schedule cases do not fit the forward/backward pattern:
  adam_*          `in.p0` (initial parameter), `in.grad.0..2` (gradient fed at step 1..3),
                  `out.p.1..3` (parameter after step 1..3); metadata lr, beta1, beta2, eps, steps.
  lr_schedule     `out.lr` [12]: learning rate used during epochs 0..11 of pix2pix's "linear"
                  LambdaLR policy; metadata n_constant, n_decay, lr, epochs.

Whole-model fixtures: Tests/Pix2PixTests/Fixtures/
-------------------------------------------------
  pix2pix_small.safetensors      G = unet(3, 3, downs=6, ngf=8), D = PatchGAN(6, ndf=8, n_layers=3),
                                 PyTorch default init under torch.manual_seed(0), no dropout, batch 2,
                                 64x64. `G.<key>` / `D.<key>` initial state_dict (running stats and
                                 int64 num_batches_tracked included), `A`, `B`, `G_eval_out`,
                                 step 1: `fake`, `G_grad.<param>`, `D_grad.<param>`, `G_after.<key>`,
                                 `D_after.<key>`, `loss_D_fake`, `loss_D_real`, `loss_G_GAN`,
                                 `loss_G_L1` ([1] each); `trajectory.loss_G`, `trajectory.loss_D`
                                 ([10], steps 1..10); `G_after10.<param>`.
  torch_generator.safetensors    a plain user-saved G.state_dict() (with dropout, 3 training steps),
                                 no metadata. torch_generator_io.safetensors: `x`, `y` = G.eval()(x).
  unet_in5_out3.safetensors      unet(5, 3, downs=5, ngf=4), `G.<key>`, `x` [1,5,32,32], `y_eval`,
                                 `y_train` (train-mode BatchNorm, no dropout).
  pix2pixhd_small.safetensors    every part of the GAN step at once: G = unet(3, 3, downs=5, ngf=4)
                                 with self-attention at depth 3; D = MultiscaleD(2 scales, ndf=8,
                                 n_layers=2, instance norm, spectral norm on every conv,
                                 self-attention); LSGAN + lambda_l1 * L1 + feature matching
                                 (lambda_fm, pix2pixHD's weights); batch 2, 32x32. Keys as
                                 pix2pix_small (`D.scale<k>.model.<i>.weight_orig|weight_u|weight_v`),
                                 plus `loss_G_feat`; `trajectory.*` over `steps` (5) steps; no
                                 G_after10. Metadata names every option and the torch version.
                                 Made with torch 2.13.0+cpu; the other files predate it, and a
                                 different torch moves their last bits, hence `generate --only`.

Two reference behaviours the Swift side must reproduce to match these files:
  * UnetBlock's LeakyReLU is in-place, so torch.cat([x, model(x)]) concatenates leaky_relu(x),
    not x: every skip connection except the outermost carries the activated input.
  * D runs three train-mode forwards per step (fake.detach(), real, fake for G), so its
    BatchNorm running stats move three times per step (num_batches_tracked == 3 after step 1).
    With feature matching it runs four (real again for the real features, after D's update),
    and spectral norm's power iteration runs at each of them.
"""
import argparse
import copy
import json
import struct
import sys
import zlib
from pathlib import Path
from typing import Callable, Dict, Iterable, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import load_file, save_file

ROOT = Path(__file__).resolve().parent.parent
OPS_DIR = ROOT / "Tests" / "NNTests" / "Fixtures" / "ops"
MODEL_DIR = ROOT / "Tests" / "Pix2PixTests" / "Fixtures"

WEIGHT_STD = 0.2  # std of random op weights; inputs are N(0, 1)

Tensors = Dict[str, torch.Tensor]


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------

def seed_case(name: str) -> None:
    """Seeds torch from the case name, so each case is reproducible on its own."""
    torch.manual_seed(zlib.crc32(name.encode()))


def flag(value: bool) -> str:
    """Booleans in metadata are the strings "true" / "false"."""
    return "true" if value else "false"


def snapshot(named: Iterable, prefix: str) -> Tensors:
    """Detached copies of (name, tensor) pairs under `prefix`; copies, because BatchNorm and
    spectral norm update their buffers in place during the forward."""
    return {prefix + name: t.detach().clone() for name, t in named}


def buffers_of(module: nn.Module):
    """Named buffers, without the int64 num_batches_tracked counters."""
    return [(n, b) for n, b in module.named_buffers() if not n.endswith("num_batches_tracked")]


def write(path: Path, tensors: Tensors, metadata: Optional[Dict[str, str]] = None) -> None:
    """Saves tensors (contiguous, unshared copies) to a safetensors file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if metadata is not None:
        assert all(isinstance(v, str) for v in metadata.values()), metadata
    save_file({k: v.detach().contiguous().clone() for k, v in tensors.items()}, str(path), metadata=metadata)
    sort_metadata(path)


def sort_metadata(path: Path) -> None:
    """Rewrites the safetensors header with its metadata keys sorted. save_file emits metadata
    in hash-map order, which changes from run to run; sorting makes reruns byte-identical.
    Data offsets are relative to the end of the header, so only the header changes."""
    raw = path.read_bytes()
    length = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + length])
    if "__metadata__" in header:
        header["__metadata__"] = dict(sorted(header["__metadata__"].items()))
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # keep the data 8-byte aligned, as save_file does
    path.write_bytes(struct.pack("<Q", len(text)) + text + raw[8 + length:])


def randomize_(module: nn.Module, std: float = WEIGHT_STD) -> nn.Module:
    """Overwrites every parameter with N(0, std) draws."""
    with torch.no_grad():
        for p in module.parameters():
            p.normal_(0.0, std)
    return module


# ---------------------------------------------------------------------------------------------
# The per-op recorder
# ---------------------------------------------------------------------------------------------

def record_op(case: str, op: str, options: Dict[str, str], inputs: Tensors,
              forward: Callable[[Tensors], torch.Tensor], module: Optional[nn.Module] = None,
              differentiable: Iterable[str] = ("x",)) -> None:
    """Runs forward + backward once and writes OPS_DIR/<case>.safetensors (naming: module doc).

    `forward` receives the inputs (by name, without the `in.` prefix) as fresh leaves;
    those named in `differentiable` require grad. A 0-d output is a mean-reduced loss: it is
    stored with shape [1] and back-propagated with grad_out = [1.0].
    """
    differentiable = tuple(differentiable)
    tensors = snapshot(inputs.items(), "in.")
    leaves = {n: t.detach().clone().requires_grad_(n in differentiable) for n, t in inputs.items()}
    if module is not None:
        tensors.update(snapshot(module.named_parameters(), "param."))
        tensors.update(snapshot(buffers_of(module), "buffer."))

    out = forward(leaves)
    if out.dim() == 0:
        out, grad_out = out.reshape(1), torch.ones(1)
    else:
        grad_out = torch.randn_like(out)
    (out * grad_out).sum().backward()

    tensors["out"], tensors["grad_out"] = out, grad_out
    tensors.update({f"grad.in.{n}": leaves[n].grad for n in differentiable})
    if module is not None:
        tensors.update({f"grad.param.{n}": p.grad for n, p in module.named_parameters()})
        tensors.update(snapshot(buffers_of(module), "buffer_after."))
    write(OPS_DIR / f"{case}.safetensors", tensors, {"op": op, **options})


def conv_options(cin: int, cout: int, k: int, s: int, p: int, bias: bool) -> Dict[str, str]:
    """Metadata shared by conv2d, conv_transpose2d and spectral_norm_conv2d."""
    return {"kernel": str(k), "stride": str(s), "padding": str(p), "bias": flag(bias),
            "in_channels": str(cin), "out_channels": str(cout)}


# ---------------------------------------------------------------------------------------------
# Per-op cases
# ---------------------------------------------------------------------------------------------

# case, in_channels, out_channels, kernel, stride, padding, bias, (N, H, W)
CONV2D_CASES = [
    ("conv2d_k3s1p1_bias", 3, 5, 3, 1, 1, True, (2, 7, 9)),
    ("conv2d_k4s2p1_nobias", 4, 6, 4, 2, 1, False, (2, 7, 9)),
    ("conv2d_k4s2p1_bias_even", 3, 4, 4, 2, 1, True, (3, 8, 8)),
    ("conv2d_k1s1p0_bias", 6, 3, 1, 1, 0, True, (2, 5, 7)),
    ("conv2d_k4s1p1_bias", 8, 1, 4, 1, 1, True, (2, 7, 9)),       # PatchGAN's last conv
    ("conv2d_k4s1p1_nobias", 4, 8, 4, 1, 1, False, (3, 8, 8)),    # PatchGAN's stride-1 layer
]

CONV_TRANSPOSE2D_CASES = [
    ("conv_transpose2d_k4s2p1_bias", 6, 3, 4, 2, 1, True, (2, 3, 5)),
    ("conv_transpose2d_k4s2p1_nobias", 8, 4, 4, 2, 1, False, (3, 4, 4)),
    ("conv_transpose2d_k3s1p1_bias", 4, 5, 3, 1, 1, True, (2, 7, 9)),
]


def make_conv_cases() -> None:
    """nn.Conv2d / nn.ConvTranspose2d; ConvTranspose2d's weight is (in, out, KH, KW)."""
    for op, layer, cases in (("conv2d", nn.Conv2d, CONV2D_CASES),
                             ("conv_transpose2d", nn.ConvTranspose2d, CONV_TRANSPOSE2D_CASES)):
        for case, cin, cout, k, s, p, bias, (n, h, w) in cases:
            seed_case(case)
            module = randomize_(layer(cin, cout, k, s, p, bias=bias))
            record_op(case, op, conv_options(cin, cout, k, s, p, bias),
                      {"x": torch.randn(n, cin, h, w)}, lambda t, m=module: m(t["x"]), module)


def make_batch_norm_cases() -> None:
    """BatchNorm2d in training mode (batch stats, running-stat update with the unbiased
    variance) and eval mode (running stats); affine and running stats all non-trivial."""
    for training in (True, False):
        case = "batch_norm2d_train" if training else "batch_norm2d_eval"
        seed_case(case)
        bn = nn.BatchNorm2d(4, eps=1e-5, momentum=0.1)
        with torch.no_grad():
            bn.weight.copy_(1.0 + WEIGHT_STD * torch.randn(4))
            bn.bias.copy_(WEIGHT_STD * torch.randn(4))
            bn.running_mean.copy_(0.5 * torch.randn(4))
            bn.running_var.copy_(torch.rand(4) * 1.5 + 0.5)
        bn.train(training)
        x = 1.5 * torch.randn(3, 4, 5, 7) + 0.3
        record_op(case, "batch_norm2d", {"training": flag(training), "eps": "1e-05", "momentum": "0.1"},
                  {"x": x}, lambda t: bn(t["x"]), bn)


def make_instance_norm_case() -> None:
    """InstanceNorm2d as pix2pix's `--norm instance` builds it: no affine, no running stats."""
    seed_case("instance_norm2d")
    norm = nn.InstanceNorm2d(4, eps=1e-5, affine=False, track_running_stats=False)
    record_op("instance_norm2d", "instance_norm2d",
              {"eps": "1e-05", "affine": "false", "track_running_stats": "false"},
              {"x": 1.5 * torch.randn(2, 4, 5, 7) - 0.4}, lambda t: norm(t["x"]))


def make_activation_cases() -> None:
    """relu, leaky_relu(0.2), tanh, sigmoid on (2, 3, 5, 7)."""
    cases = [("relu", {}, F.relu),
             ("leaky_relu", {"negative_slope": "0.2"}, lambda x: F.leaky_relu(x, 0.2)),
             ("tanh", {}, torch.tanh),
             ("sigmoid", {}, torch.sigmoid)]
    for op, options, fn in cases:
        seed_case(op)
        record_op(op, op, options, {"x": 2.0 * torch.randn(2, 3, 5, 7)}, lambda t, f=fn: f(t["x"]))


def make_dropout_case() -> None:
    """Dropout with an explicit mask (torch's RNG cannot be matched): out = x * mask / (1 - p)."""
    seed_case("dropout")
    p = 0.5
    x = torch.randn(2, 3, 5, 7)
    mask = (torch.rand(2, 3, 5, 7) >= p).float()
    record_op("dropout", "dropout", {"p": str(p)}, {"x": x, "mask": mask},
              lambda t: t["x"] * t["mask"] / (1.0 - p))


def make_elementwise_cases() -> None:
    """concat along channels, add, scale."""
    seed_case("concat")
    record_op("concat", "concat", {"dim": "1"},
              {"x": torch.randn(2, 3, 5, 7), "y": torch.randn(2, 5, 5, 7)},
              lambda t: torch.cat([t["x"], t["y"]], dim=1), differentiable=("x", "y"))
    seed_case("add")
    record_op("add", "add", {}, {"x": torch.randn(2, 3, 5, 7), "y": torch.randn(2, 3, 5, 7)},
              lambda t: t["x"] + t["y"], differentiable=("x", "y"))
    seed_case("scale")
    s = -0.75
    record_op("scale", "scale", {"scale": str(s)}, {"x": torch.randn(2, 3, 5, 7)}, lambda t: t["x"] * s)


def make_avg_pool_cases() -> None:
    """AvgPool2d(3, stride 2, padding 1, count_include_pad=False): pix2pixHD's multiscale D
    downsampler, on an odd and an even input."""
    pool = nn.AvgPool2d(3, stride=2, padding=[1, 1], count_include_pad=False)
    options = {"kernel": "3", "stride": "2", "padding": "1", "count_include_pad": "false"}
    for case, shape in (("avg_pool2d_odd", (2, 3, 7, 9)), ("avg_pool2d_even", (2, 3, 8, 8))):
        seed_case(case)
        record_op(case, "avg_pool2d", options, {"x": torch.randn(*shape)}, lambda t: pool(t["x"]))


class SelfAttention(nn.Module):
    """SAGAN self-attention block: y = gamma * attend(x) + x, with 1x1-conv query/key (C//8)
    and value (C) projections; attention weights are softmax over the key positions."""

    def __init__(self, channels: int):
        super().__init__()
        self.query_conv = nn.Conv2d(channels, channels // 8, 1)
        self.key_conv = nn.Conv2d(channels, channels // 8, 1)
        self.value_conv = nn.Conv2d(channels, channels, 1)
        self.gamma = nn.Parameter(torch.zeros(1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        q = self.query_conv(x).view(n, -1, h * w).permute(0, 2, 1)  # (N, HW, C/8)
        k = self.key_conv(x).view(n, -1, h * w)                     # (N, C/8, HW)
        attention = torch.softmax(torch.bmm(q, k), dim=-1)          # (N, HW, HW)
        v = self.value_conv(x).view(n, c, h * w)                    # (N, C, HW)
        out = torch.bmm(v, attention.permute(0, 2, 1)).view(n, c, h, w)
        return self.gamma * out + x


def make_self_attention_case() -> None:
    """SAGAN block, C=16, gamma = 0.7 so the attention path is visible."""
    seed_case("self_attention")
    block = randomize_(SelfAttention(16))
    with torch.no_grad():
        block.gamma.fill_(0.7)
    record_op("self_attention", "self_attention", {"in_channels": "16"},
              {"x": torch.randn(2, 16, 5, 6)}, lambda t: block(t["x"]), block)


def make_spectral_norm_cases() -> None:
    """torch.nn.utils.spectral_norm(Conv2d(4, 6, 4, 2, 1)). Training: one power iteration
    updates weight_u / weight_v, then W / sigma with sigma = u . (W v) (u, v constants for
    autograd). Eval: three training iterations first, then sigma from the stored u, v."""
    options = conv_options(4, 6, 4, 2, 1, True)
    options.update({"eps": "1e-12", "n_power_iterations": "1"})
    for training in (True, False):
        case = "spectral_norm_conv2d_train" if training else "spectral_norm_conv2d_eval"
        seed_case(case)
        conv = nn.utils.spectral_norm(randomize_(nn.Conv2d(4, 6, 4, 2, 1, bias=True)))
        x = torch.randn(2, 4, 7, 9)
        if not training:
            with torch.no_grad():
                for _ in range(3):
                    conv(x)
        conv.train(training)
        record_op(case, "spectral_norm_conv2d", {**options, "training": flag(training)},
                  {"x": x}, lambda t: conv(t["x"]), conv)


def make_loss_cases() -> None:
    """Mean-reduced losses on a PatchGAN-shaped prediction (2, 1, 6, 6)."""
    shape = (2, 1, 6, 6)
    with_target = [
        ("bce_with_logits_ones", "bce_with_logits", torch.ones, F.binary_cross_entropy_with_logits),
        ("bce_with_logits_zeros", "bce_with_logits", torch.zeros, F.binary_cross_entropy_with_logits),
        ("mse_ones", "mse", torch.ones, F.mse_loss),
        ("mse_zeros", "mse", torch.zeros, F.mse_loss),
        ("l1", "l1", torch.randn, F.l1_loss),
    ]
    for case, op, make_target, loss in with_target:
        seed_case(case)
        x, target = 1.5 * torch.randn(*shape), make_target(*shape)
        record_op(case, op, {"reduction": "mean"}, {"x": x, "target": target},
                  lambda t, f=loss: f(t["x"], t["target"]))
    hinge = [("hinge_d_real", lambda x: F.relu(1.0 - x).mean()),
             ("hinge_d_fake", lambda x: F.relu(1.0 + x).mean()),
             ("hinge_g", lambda x: -x.mean())]
    for op, loss in hinge:
        seed_case(op)
        record_op(op, op, {"reduction": "mean"}, {"x": 1.5 * torch.randn(*shape)},
                  lambda t, f=loss: f(t["x"]))


def make_feature_matching_case() -> None:
    """pix2pixHD's feature-matching loss: sum_i weight * L1(fake_i, real_i.detach())."""
    seed_case("feature_matching")
    weight = 0.25
    shapes = [(2, 4, 8, 8), (2, 8, 4, 4), (2, 1, 3, 3)]
    inputs = {}
    for i, shape in enumerate(shapes):
        inputs[f"fake.{i}"] = torch.randn(*shape)
        inputs[f"real.{i}"] = torch.randn(*shape)

    def loss(t: Tensors) -> torch.Tensor:
        return sum(weight * F.l1_loss(t[f"fake.{i}"], t[f"real.{i}"].detach()) for i in range(len(shapes)))

    record_op("feature_matching", "feature_matching", {"weight": str(weight), "count": str(len(shapes))},
              inputs, loss, differentiable=[f"fake.{i}" for i in range(len(shapes))])


def make_adam_cases() -> None:
    """torch.optim.Adam on one (5, 7) parameter for three steps with given gradients."""
    for case, lr, betas in (("adam_pix2pix", 2e-4, (0.5, 0.999)), ("adam_lr1e-2", 1e-2, (0.9, 0.999))):
        seed_case(case)
        eps, steps = 1e-8, 3
        p0 = torch.randn(5, 7)
        grads = [torch.randn(5, 7) for _ in range(steps)]
        p = p0.clone().requires_grad_(True)
        opt = torch.optim.Adam([p], lr=lr, betas=betas, eps=eps)
        tensors = {"in.p0": p0}
        for i, g in enumerate(grads):
            tensors[f"in.grad.{i}"] = g
            p.grad = g.clone()
            opt.step()
            tensors[f"out.p.{i + 1}"] = p.detach().clone()
        write(OPS_DIR / f"{case}.safetensors", tensors,
              {"op": "adam", "lr": str(lr), "beta1": str(betas[0]), "beta2": str(betas[1]),
               "eps": str(eps), "weight_decay": "0.0", "steps": str(steps)})


def linear_policy(n_constant: int, n_decay: int) -> Callable[[int], float]:
    """pix2pix's `--lr_policy linear` (epoch_count = 1): constant, then linear decay."""
    return lambda epoch: 1.0 - max(0, epoch + 1 - n_constant) / float(n_decay + 1)


def make_lr_schedule_case() -> None:
    """Learning rate in effect during epochs 0..11 (scheduler.step() after each epoch).
    Epochs 10 and 11 lie past n_constant + n_decay: torch gives 0 and a negative rate there."""
    n_constant, n_decay, lr, epochs = 5, 5, 2e-4, 12
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.Adam([p], lr=lr)
    scheduler = torch.optim.lr_scheduler.LambdaLR(opt, linear_policy(n_constant, n_decay))
    rates = []
    for _ in range(epochs):
        rates.append(opt.param_groups[0]["lr"])
        opt.step()  # no grad: a no-op that keeps torch's call-order check quiet
        scheduler.step()
    write(OPS_DIR / "lr_schedule.safetensors", {"out.lr": torch.tensor(rates, dtype=torch.float32)},
          {"op": "lr_schedule", "n_constant": str(n_constant), "n_decay": str(n_decay),
           "lr": str(lr), "epochs": str(epochs)})


def make_op_fixtures() -> None:
    """Rewrites the whole ops folder (stale cases are removed)."""
    OPS_DIR.mkdir(parents=True, exist_ok=True)
    for old in OPS_DIR.glob("*.safetensors"):
        old.unlink()
    make_conv_cases()
    make_batch_norm_cases()
    make_instance_norm_case()
    make_activation_cases()
    make_dropout_case()
    make_elementwise_cases()
    make_avg_pool_cases()
    make_self_attention_case()
    make_spectral_norm_cases()
    make_loss_cases()
    make_feature_matching_case()
    make_adam_cases()
    make_lr_schedule_case()


# ---------------------------------------------------------------------------------------------
# Reference pix2pix architecture (from shared/bench/torch_pix2pix.py; dropout made optional)
# ---------------------------------------------------------------------------------------------

class UnetBlock(nn.Module):
    """One U-Net level: down conv, the inner levels, up conv, skip concatenation.
    The in-place LeakyReLU means the skip concatenates leaky_relu(x), as in the reference."""

    def __init__(self, outer, inner, input_nc=None, sub=None, outermost=False, innermost=False, dropout=False,
                 attention=False):
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
        layers += [SelfAttention(outer)] if attention else []  # Tinct's attentionDepths
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


def unet(in_nc, out_nc, downs, ngf, dropout=True, attention_depths=()):
    """The reference U-Net: `downs` stride-2 levels; dropout (if on) in the ngf*8 middle levels;
    a SAGAN block after the decoder of each level in `attention_depths` (0 = outermost, never
    given one), as Tinct's GeneratorConfig.attentionDepths."""
    block = UnetBlock(ngf * 8, ngf * 8, innermost=True, attention=downs - 1 in attention_depths)
    for level in range(downs - 2, 3, -1):
        block = UnetBlock(ngf * 8, ngf * 8, sub=block, dropout=dropout, attention=level in attention_depths)
    block = UnetBlock(ngf * 4, ngf * 8, sub=block, attention=3 in attention_depths)
    block = UnetBlock(ngf * 2, ngf * 4, sub=block, attention=2 in attention_depths)
    block = UnetBlock(ngf, ngf * 2, sub=block, attention=1 in attention_depths)
    return Wrapped(UnetBlock(out_nc, ngf, input_nc=in_nc, sub=block, outermost=True))


def patch_discriminator(in_nc, ndf, n_layers=3):
    """The reference 70x70 PatchGAN (NLayerDiscriminator with BatchNorm)."""
    seq, mult = [nn.Conv2d(in_nc, ndf, 4, 2, 1), nn.LeakyReLU(0.2, True)], 1
    for n in range(1, n_layers + 1):
        prev, mult = mult, min(2 ** n, 8)
        stride = 2 if n < n_layers else 1
        seq += [nn.Conv2d(ndf * prev, ndf * mult, 4, stride, 1, bias=False), nn.BatchNorm2d(ndf * mult),
                nn.LeakyReLU(0.2, True)]
    return Wrapped(nn.Sequential(*seq, nn.Conv2d(ndf * mult, 1, 4, 1, 1)))


class Pix2PixStep:
    """torch_pix2pix.py's step() (BCE-with-logits GAN loss + lambda_l1 * L1, Adam), keeping
    the intermediates the fixtures need. D's gradients are copied right after loss_D.backward()
    (before opt_D.step()), G's right after loss_G.backward()."""

    def __init__(self, G, D, lambda_l1=100.0, lr=2e-4, betas=(0.5, 0.999)):
        self.G, self.D, self.lambda_l1 = G, D, lambda_l1
        self.opt_G = torch.optim.Adam(G.parameters(), lr, betas=betas)
        self.opt_D = torch.optim.Adam(D.parameters(), lr, betas=betas)
        self.bce, self.l1 = nn.BCEWithLogitsLoss(), nn.L1Loss()

    def __call__(self, A, B) -> dict:
        G, D, bce = self.G, self.D, self.bce
        fake = G(A)
        self.opt_D.zero_grad()
        pred_fake, pred_real = D(torch.cat([A, fake.detach()], 1)), D(torch.cat([A, B], 1))
        loss_D_fake = bce(pred_fake, torch.zeros_like(pred_fake))
        loss_D_real = bce(pred_real, torch.ones_like(pred_real))
        loss_D = 0.5 * (loss_D_fake + loss_D_real)
        loss_D.backward()
        D_grads = snapshot(((n, p.grad) for n, p in D.named_parameters()), "")
        self.opt_D.step()
        self.opt_G.zero_grad()
        pred_fake = D(torch.cat([A, fake], 1))
        loss_G_GAN = bce(pred_fake, torch.ones_like(pred_fake))
        loss_G_L1 = self.l1(fake, B)
        loss_G = loss_G_GAN + self.lambda_l1 * loss_G_L1
        loss_G.backward()
        G_grads = snapshot(((n, p.grad) for n, p in G.named_parameters()), "")
        self.opt_G.step()
        return {"fake": fake.detach().clone(), "D_grads": D_grads, "G_grads": G_grads,
                "loss_D_fake": loss_D_fake.item(), "loss_D_real": loss_D_real.item(),
                "loss_G_GAN": loss_G_GAN.item(), "loss_G_L1": loss_G_L1.item(),
                "loss_D": loss_D.item(), "loss_G": loss_G.item()}


class FeaturePatchGAN(nn.Module):
    """Tinct's PatchDiscriminator with every option: spectral norm on each convolution, a
    SAGAN block after stage 1's LeakyReLU, and the intermediate features pix2pixHD's feature
    matching compares (the first LeakyReLU's output and each stage's last layer's: n_layers + 1
    of them). Layers sit in one Sequential, `model.<i>` as in Tinct's state_dict."""

    def __init__(self, in_nc, ndf, n_layers, norm, spectral, attention):
        super().__init__()
        sn = nn.utils.spectral_norm if spectral else (lambda m: m)
        conv_bias = norm is nn.InstanceNorm2d  # pix2pix: a bias only when the norm has no shift
        seq, features, mult = [sn(nn.Conv2d(in_nc, ndf, 4, 2, 1)), nn.LeakyReLU(0.2)], [1], 1
        for n in range(1, n_layers + 1):
            prev, mult = mult, min(2 ** n, 8)
            stride = 2 if n < n_layers else 1
            seq += [sn(nn.Conv2d(ndf * prev, ndf * mult, 4, stride, 1, bias=conv_bias)), norm(ndf * mult),
                    nn.LeakyReLU(0.2)]
            if attention and n == 1:
                seq.append(SelfAttention(ndf * mult))
            features.append(len(seq) - 1)
        seq.append(sn(nn.Conv2d(ndf * mult, 1, 4, 1, 1)))
        self.model, self.features = nn.Sequential(*seq), features

    def forward(self, x):
        """(prediction, [features])."""
        features = []
        for index, layer in enumerate(self.model):
            x = layer(x)
            if index in self.features:
                features.append(x)
        return x, features


class MultiscaleD(nn.Module):
    """pix2pixHD's multi-scale discriminator as Tinct builds it: `scale<k>` sees the input
    average-pooled (3, stride 2, padding 1, padding left out of the mean) k times."""

    def __init__(self, num_d, **patch):
        super().__init__()
        self.num_d = num_d
        for k in range(num_d):
            setattr(self, f"scale{k}", FeaturePatchGAN(**patch))
        self.pool = nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False)

    def forward(self, x):
        """[(prediction, [features])] per scale, finest first."""
        results = []
        for k in range(self.num_d):
            if k > 0:
                x = self.pool(x)
            results.append(getattr(self, f"scale{k}")(x))
        return results


class Pix2PixHDStep:
    """Tinct's Pix2PixModel.trainingStep with every part on (LSGAN, feature matching over the
    scales, L1), in its order: G(A); D on (A, G(A)) and (A, B), D update; then, with the
    updated D, D on (A, B) for the real features (in training mode, so spectral norm's power
    iteration runs again, as in Tinct) and on (A, G(A)) for G's loss, G update.

    loss_D = ½ Σ_k (MSE(D_k(fake), 0) + MSE(D_k(real), 1))
    loss_G = Σ_k MSE(D_k(fake), 1) + λ_L1 |G(A) − B| + Σ_k Σ_j w · |F_kj(fake) − F_kj(real)|
    with pix2pixHD's w = λ_FM · 4/(n_layers + 1) / num_D."""

    def __init__(self, G, D, n_layers, lambda_l1, lambda_fm, lr, betas):
        self.G, self.D, self.lambda_l1 = G, D, lambda_l1
        self.feature_weight = lambda_fm * 4.0 / (n_layers + 1) / D.num_d
        self.opt_G = torch.optim.Adam(G.parameters(), lr, betas=betas)
        self.opt_D = torch.optim.Adam(D.parameters(), lr, betas=betas)

    def __call__(self, A, B) -> dict:
        G, D, mse = self.G, self.D, F.mse_loss
        fake = G(A)
        self.opt_D.zero_grad()
        out_fake = D(torch.cat([A, fake.detach()], 1))
        out_real = D(torch.cat([A, B], 1))
        loss_D_fake = sum(mse(p, torch.zeros_like(p)) for p, _ in out_fake)
        loss_D_real = sum(mse(p, torch.ones_like(p)) for p, _ in out_real)
        loss_D = 0.5 * (loss_D_fake + loss_D_real)
        loss_D.backward()
        D_grads = snapshot(((n, p.grad) for n, p in D.named_parameters()), "")
        self.opt_D.step()

        self.opt_G.zero_grad()
        for p in D.parameters():
            p.requires_grad_(False)
        with torch.no_grad():
            real_features = [features for _, features in D(torch.cat([A, B], 1))]
        out_fake = D(torch.cat([A, fake], 1))
        loss_G_GAN = sum(mse(p, torch.ones_like(p)) for p, _ in out_fake)
        loss_G_feat = sum(self.feature_weight * F.l1_loss(f, r)
                          for (_, fakes), reals in zip(out_fake, real_features) for f, r in zip(fakes, reals))
        loss_G_L1 = F.l1_loss(fake, B)
        loss_G = loss_G_GAN + self.lambda_l1 * loss_G_L1 + loss_G_feat
        loss_G.backward()
        for p in D.parameters():
            p.requires_grad_(True)
        G_grads = snapshot(((n, p.grad) for n, p in G.named_parameters()), "")
        self.opt_G.step()
        return {"fake": fake.detach().clone(), "D_grads": D_grads, "G_grads": G_grads,
                "loss_D_fake": loss_D_fake.item(), "loss_D_real": loss_D_real.item(),
                "loss_G_GAN": loss_G_GAN.item(), "loss_G_L1": loss_G_L1.item(), "loss_G_feat": loss_G_feat.item(),
                "loss_D": loss_D.item(), "loss_G": loss_G.item()}


def prefixed(tensors: Tensors, prefix: str) -> Tensors:
    """`prefix + key` for every key."""
    return {prefix + k: v for k, v in tensors.items()}


def eval_output(G: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """G(x) in eval mode on a copy, leaving G itself untouched."""
    G_eval = copy.deepcopy(G).eval()
    with torch.no_grad():
        return G_eval(x)


def scalar(value: float) -> torch.Tensor:
    """A loss value as a shape-[1] float32 tensor."""
    return torch.tensor([value], dtype=torch.float32)


# ---------------------------------------------------------------------------------------------
# Whole-model fixtures
# ---------------------------------------------------------------------------------------------

def make_pix2pix_small(steps: int = 10) -> None:
    """G/D initial state, step-1 intermediates, a `steps`-long loss trajectory, final G."""
    cfg = {"in_nc": 3, "out_nc": 3, "ngf": 8, "ndf": 8, "downs": 6, "n_layers": 3,
           "lambda_l1": 100.0, "lr": 2e-4, "beta1": 0.5, "beta2": 0.999, "batch": 2, "size": 64}
    torch.manual_seed(0)
    G = unet(cfg["in_nc"], cfg["out_nc"], cfg["downs"], cfg["ngf"], dropout=False)
    D = patch_discriminator(cfg["in_nc"] + cfg["out_nc"], cfg["ndf"], cfg["n_layers"])
    shape = (cfg["batch"], cfg["in_nc"], cfg["size"], cfg["size"])
    A, B = torch.randn(*shape), torch.tanh(torch.randn(*shape))
    tensors = {"A": A, "B": B, **snapshot(G.state_dict().items(), "G."), **snapshot(D.state_dict().items(), "D.")}
    tensors["G_eval_out"] = eval_output(G, A)

    G.train(), D.train()
    step = Pix2PixStep(G, D, cfg["lambda_l1"], cfg["lr"], (cfg["beta1"], cfg["beta2"]))
    first = step(A, B)
    tensors["fake"] = first["fake"]
    tensors.update(prefixed(first["G_grads"], "G_grad."))
    tensors.update(prefixed(first["D_grads"], "D_grad."))
    tensors.update(snapshot(G.state_dict().items(), "G_after."))
    tensors.update(snapshot(D.state_dict().items(), "D_after."))
    for name in ("loss_D_fake", "loss_D_real", "loss_G_GAN", "loss_G_L1"):
        tensors[name] = scalar(first[name])

    history = [first] + [step(A, B) for _ in range(steps - 1)]
    tensors["trajectory.loss_G"] = torch.tensor([h["loss_G"] for h in history], dtype=torch.float32)
    tensors["trajectory.loss_D"] = torch.tensor([h["loss_D"] for h in history], dtype=torch.float32)
    tensors.update(snapshot(G.named_parameters(), "G_after10."))
    write(MODEL_DIR / "pix2pix_small.safetensors", tensors,
          {**{k: str(v) for k, v in cfg.items()}, "steps": str(steps), "dropout": "false"})


def make_torch_generator() -> None:
    """A generator as a PyTorch user saves it (with dropout, 3 steps so BatchNorm running stats
    moved), plus an input and its eval-mode output in a second file."""
    torch.manual_seed(1)
    G, D = unet(3, 3, downs=6, ngf=8, dropout=True), patch_discriminator(6, ndf=8)
    A, B = torch.randn(2, 3, 64, 64), torch.tanh(torch.randn(2, 3, 64, 64))
    G.train(), D.train()
    step = Pix2PixStep(G, D)
    for _ in range(3):
        step(A, B)
    save_file({k: v.contiguous().clone() for k, v in G.state_dict().items()},
              str(MODEL_DIR / "torch_generator.safetensors"))
    x = torch.randn(1, 3, 64, 64)
    G.eval()
    with torch.no_grad():
        y = G(x)
    write(MODEL_DIR / "torch_generator_io.safetensors", {"x": x, "y": y})


def make_unet_in5_out3() -> None:
    """Line-art shaped U-Net (5 input channels, downs=5: no middle ngf*8 levels), batch 1."""
    torch.manual_seed(2)
    cfg = {"in_nc": 5, "out_nc": 3, "ngf": 4, "downs": 5, "size": 32, "batch": 1}
    G = unet(cfg["in_nc"], cfg["out_nc"], cfg["downs"], cfg["ngf"], dropout=False)
    x = torch.randn(cfg["batch"], cfg["in_nc"], cfg["size"], cfg["size"])
    tensors = {"x": x, **snapshot(G.state_dict().items(), "G.")}
    tensors["y_eval"] = eval_output(G, x)
    G.train()
    with torch.no_grad():
        tensors["y_train"] = G(x)
    write(MODEL_DIR / "unet_in5_out3.safetensors", tensors,
          {**{k: str(v) for k, v in cfg.items()}, "dropout": "false"})


def make_pix2pixhd_small(steps: int = 5) -> None:
    """Every part of the GAN step at once: G with a self-attention block (depth 3), D with
    two scales, spectral norm on every convolution, self-attention, instance norm; LSGAN,
    feature matching and L1. PyTorch default init under torch.manual_seed(3), then every
    attention gamma set to 0.5 (it starts at 0, which would hide the attention path)."""
    cfg = {"in_nc": 3, "out_nc": 3, "ngf": 4, "ndf": 8, "downs": 5, "n_layers": 2, "num_D": 2,
           "lambda_l1": 10.0, "lambda_fm": 10.0, "lr": 2e-4, "beta1": 0.5, "beta2": 0.999, "batch": 2, "size": 32}
    torch.manual_seed(3)
    G = unet(cfg["in_nc"], cfg["out_nc"], cfg["downs"], cfg["ngf"], dropout=False, attention_depths=(3,))
    D = MultiscaleD(cfg["num_D"], in_nc=cfg["in_nc"] + cfg["out_nc"], ndf=cfg["ndf"], n_layers=cfg["n_layers"],
                    norm=nn.InstanceNorm2d, spectral=True, attention=True)
    with torch.no_grad():
        for module in list(G.modules()) + list(D.modules()):
            if isinstance(module, SelfAttention):
                module.gamma.fill_(0.5)
    shape = (cfg["batch"], cfg["in_nc"], cfg["size"], cfg["size"])
    A, B = torch.randn(*shape), torch.tanh(torch.randn(*shape))
    tensors = {"A": A, "B": B, **snapshot(G.state_dict().items(), "G."), **snapshot(D.state_dict().items(), "D.")}

    G.train(), D.train()
    step = Pix2PixHDStep(G, D, cfg["n_layers"], cfg["lambda_l1"], cfg["lambda_fm"], cfg["lr"], (cfg["beta1"], cfg["beta2"]))
    first = step(A, B)
    tensors["fake"] = first["fake"]
    tensors.update(prefixed(first["G_grads"], "G_grad."))
    tensors.update(prefixed(first["D_grads"], "D_grad."))
    tensors.update(snapshot(G.state_dict().items(), "G_after."))
    tensors.update(snapshot(D.state_dict().items(), "D_after."))
    for name in ("loss_D_fake", "loss_D_real", "loss_G_GAN", "loss_G_L1", "loss_G_feat"):
        tensors[name] = scalar(first[name])
    history = [first] + [step(A, B) for _ in range(steps - 1)]
    tensors["trajectory.loss_G"] = torch.tensor([h["loss_G"] for h in history], dtype=torch.float32)
    tensors["trajectory.loss_D"] = torch.tensor([h["loss_D"] for h in history], dtype=torch.float32)
    write(MODEL_DIR / "pix2pixhd_small.safetensors", tensors,
          {**{k: str(v) for k, v in cfg.items()}, "steps": str(steps), "dropout": "false", "gan_loss": "lsgan",
           "attention_depths": "3", "d_attention": "true", "spectral_norm": "true", "norm_G": "batch",
           "norm_D": "instance", "torch": torch.__version__})


# The whole-model fixtures by the name of the file each writes (make_torch_generator: two).
MODEL_FIXTURES: Dict[str, Callable[[], None]] = {
    "pix2pix_small": make_pix2pix_small,
    "torch_generator": make_torch_generator,
    "unet_in5_out3": make_unet_in5_out3,
    "pix2pixhd_small": make_pix2pixhd_small,
}


def make_model_fixtures(only: Iterable[str] = ()) -> None:
    """Writes the whole-model fixtures, or those named in `only` (other files in the folder
    are left alone)."""
    MODEL_DIR.mkdir(parents=True, exist_ok=True)
    for name, make in MODEL_FIXTURES.items():
        if not only or name in only:
            make()


# ---------------------------------------------------------------------------------------------
# verify-checkpoint
# ---------------------------------------------------------------------------------------------

def verify_checkpoint(path: str, ngf: int, downs: int, in_nc: int, out_nc: int, prefix: str) -> int:
    """Loads a (Tinct-written) safetensors file into the reference unet with strict=True.
    Metadata is ignored; with `prefix`, only tensors under it are used, prefix stripped."""
    tensors = load_file(path)
    if prefix:
        tensors = {k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix)}
    G = unet(in_nc, out_nc, downs, ngf)
    try:
        G.load_state_dict(tensors, strict=True)
    except RuntimeError as error:
        print(f"FAIL: {error}", file=sys.stderr)
        return 1
    expected = G.state_dict()
    for key, value in tensors.items():
        if value.dtype != expected[key].dtype:
            print(f"warning: {key} is {value.dtype}, PyTorch uses {expected[key].dtype} (converted)",
                  file=sys.stderr)
    size = 2 ** downs
    with torch.no_grad():
        y = G.eval()(torch.zeros(1, in_nc, size, size))
    if not torch.isfinite(y).all():
        print("FAIL: loaded, but the eval-mode output is not finite", file=sys.stderr)
        return 1
    print(f"OK: {len(tensors)} tensors loaded strictly into unet(in={in_nc}, out={out_nc}, "
          f"downs={downs}, ngf={ngf})")
    return 0


def generate(only: Iterable[str] = ()) -> None:
    """Regenerates every fixture, or only the whole-model fixtures named in `only`."""
    only = list(only)
    if not only:
        make_op_fixtures()
    make_model_fixtures(only)
    for folder in (OPS_DIR, MODEL_DIR):
        files = sorted(folder.glob("*.safetensors"))
        total = sum(f.stat().st_size for f in files)
        print(f"{folder.relative_to(ROOT)}: {len(files)} files, {total / 1e6:.2f} MB")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command")
    gen = commands.add_parser("generate", help="regenerate every fixture (the default)")
    gen.add_argument("--only", nargs="+", default=[], choices=sorted(MODEL_FIXTURES),
                     help="regenerate only these whole-model fixtures (another torch version moves the "
                          "last bits of the others)")
    verify = commands.add_parser("verify-checkpoint", help="load a checkpoint into the reference unet")
    verify.add_argument("path")
    verify.add_argument("--ngf", type=int, required=True)
    verify.add_argument("--downs", type=int, required=True)
    verify.add_argument("--in", dest="in_nc", type=int, required=True)
    verify.add_argument("--out", dest="out_nc", type=int, required=True)
    verify.add_argument("--prefix", default="", help="use only tensors under this prefix, e.g. 'G.'")
    args = parser.parse_args(argv)

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    if args.command == "verify-checkpoint":
        return verify_checkpoint(args.path, args.ngf, args.downs, args.in_nc, args.out_nc, args.prefix)
    generate(getattr(args, "only", []))
    return 0


if __name__ == "__main__":
    sys.exit(main())
