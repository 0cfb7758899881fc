#!/usr/bin/env bash
# Regenerates Sources/ONNX/Generated/onnx.pb.swift from onnx.proto. Run only when moving to
# another onnx.proto; the result is committed, so neither builds nor CI need protoc.
#
# Needs: protoc (Debian protobuf-compiler), protoc-gen-swift built from apple/swift-protobuf at
# the version Package.swift uses, and the onnx PyPI package (its wheel ships onnx.proto):
#   git clone https://github.com/apple/swift-protobuf.git /tmp/swift-protobuf
#   git -C /tmp/swift-protobuf checkout 1.39.0
#   (cd /tmp/swift-protobuf && swift build -c release --product protoc-gen-swift)
#   .venv/bin/pip install onnx==1.23.2
#   PROTOC_GEN_SWIFT=/tmp/swift-protobuf/.build/release/protoc-gen-swift scripts/generate_onnx_proto.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
PROTOC_GEN_SWIFT=${PROTOC_GEN_SWIFT:-/tmp/swift-protobuf/.build/release/protoc-gen-swift}
onnx_dir=$("$PYTHON" -c 'import onnx, os; print(os.path.dirname(onnx.__file__))')
onnx_version=$("$PYTHON" -c 'import onnx; print(onnx.__version__)')
plugin_version=$("$PROTOC_GEN_SWIFT" --version)
out=Sources/ONNX/Generated
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$onnx_dir/onnx.proto" "$work/onnx.proto"
# Internal visibility: the ONNX target's API is the exporter, not the protobuf messages.
protoc --plugin=protoc-gen-swift="$PROTOC_GEN_SWIFT" --proto_path="$work" \
    --swift_opt=Visibility=Internal --swift_out="$work" "$work/onnx.proto"
{
    echo "// Generated from onnx.proto of the onnx $onnx_version Python package (Apache-2.0; see NOTICE.md)"
    echo "// by $(protoc --version) and $plugin_version, with scripts/generate_onnx_proto.sh."
    cat "$work/onnx.pb.swift"
} > "$out/onnx.pb.swift"
echo "wrote $out/onnx.pb.swift from onnx $onnx_version"
