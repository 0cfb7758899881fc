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
import sys
from typing import Iterable

import torch

from fixtures.common import MODEL_DIR, OPS_DIR, ROOT
from fixtures.model_cases import MODEL_FIXTURES, make_model_fixtures
from fixtures.op_cases import make_op_fixtures
from fixtures.verify_checkpoint import verify_checkpoint


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
