#!/usr/bin/env python3
"""Generate `crates/protocol/src/generated.rs` from the vendored botocore model.

The model (`crates/protocol/model/comprehend-2017-11-27.json`, Apache-2.0, see the
LICENSE/NOTICE beside it) is the single source of truth for the wire: member names,
which members are required, enum values, and the HTTP status of every error. This
script turns the operations comprehend-local emulates into:

- `Operation`, the one table of supported operations (target parsing, names);
- typed request/response structures and enums (serde, PascalCase wire names,
  unset members omitted);
- `ErrorCode`, every modeled error shape with its HTTP status;
- the `ComprehendApi` trait (one method per operation) and `dispatch`, the one
  generic decode -> handler -> encode path.

Constraint checking (min/max/pattern/enum/required) is not generated: it is done by
`validate.rs`, which walks the same model at run time.

Usage: python3 crates/protocol/codegen/generate.py [--check]
With --check, exit 1 if the committed file differs from what would be generated.
"""

import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CRATE = os.path.dirname(HERE)
MODEL = os.path.join(CRATE, "model", "comprehend-2017-11-27.json")
OUT = os.path.join(CRATE, "src", "generated.rs")
# The Smithy namespace of Comprehend's shapes. botocore's JSON model does not carry it;
# the AWS SDKs' Smithy models declare the service as
# `com.amazonaws.comprehend#Comprehend_20171127`.
NAMESPACE = "com.amazonaws.comprehend"

# The operations comprehend-local emulates. Everything else in the model answers
# UnknownOperationException (see README, "Supported operations").
OPERATIONS = [
    # Document classifiers
    "CreateDocumentClassifier",
    "DescribeDocumentClassifier",
    "ListDocumentClassifiers",
    "ListDocumentClassifierSummaries",
    "DeleteDocumentClassifier",
    "StopTrainingDocumentClassifier",
    # Flywheels, iterations and datasets
    "CreateFlywheel",
    "DescribeFlywheel",
    "ListFlywheels",
    "UpdateFlywheel",
    "DeleteFlywheel",
    "StartFlywheelIteration",
    "DescribeFlywheelIteration",
    "ListFlywheelIterationHistory",
    "CreateDataset",
    "DescribeDataset",
    "ListDatasets",
    # Endpoints and inference
    "CreateEndpoint",
    "DescribeEndpoint",
    "ListEndpoints",
    "UpdateEndpoint",
    "DeleteEndpoint",
    "ClassifyDocument",
    "StartDocumentClassificationJob",
    "DescribeDocumentClassificationJob",
    "ListDocumentClassificationJobs",
    # Entity recognizer serving: endpoints are shared with classifiers (above)
    "DetectEntities",
    "StartEntitiesDetectionJob",
    "DescribeEntitiesDetectionJob",
    "ListEntitiesDetectionJobs",
    "StopEntitiesDetectionJob",
    # Custom entity recognizers (training side; endpoints, DetectEntities and
    # entities-detection jobs are listed with inference)
    "CreateEntityRecognizer",
    "DescribeEntityRecognizer",
    "ListEntityRecognizers",
    "ListEntityRecognizerSummaries",
    "StopTrainingEntityRecognizer",
    "DeleteEntityRecognizer",
    # Built-in analysis (pre-trained models, real time)
    "DetectDominantLanguage",
    "BatchDetectDominantLanguage",
    "DetectSentiment",
    "BatchDetectSentiment",
    "DetectPiiEntities",
    "ContainsPiiEntities",
    "DetectToxicContent",
    "DetectSyntax",
    "BatchDetectSyntax",
    "BatchDetectEntities",
    "DetectKeyPhrases",
    "BatchDetectKeyPhrases",
    # Tags
    "TagResource",
    "UntagResource",
    "ListTagsForResource",
]

# Output members the model types as an enum although the service answers values outside
# it: a custom entity recognizer's `Entity.Type` is the custom type string (e.g. "JUDGE";
# API reference, DetectEntities: "If you use a custom entity recognition model, the
# output includes the custom entity types"), while the `EntityType` enum lists only the
# built-in types. These members are plain strings.
OPEN_STRING_MEMBERS = {("Entity", "Type")}

RUST_KEYWORDS = {"type", "match", "mod", "ref", "self", "struct", "enum", "fn", "let", "loop", "move"}


def snake(name):
    s = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    s = re.sub(r"(?<=[A-Z])(?=[A-Z][a-z])", "_", s)
    s = s.lower()
    return s + "_" if s in RUST_KEYWORDS else s


def variant(value):
    parts = re.split(r"[^A-Za-z0-9]+", value)
    out = "".join(p[:1].upper() + p[1:].lower() for p in parts if p)
    if out[:1].isdigit():
        out = "V" + out
    return out


def main():
    model = json.load(open(MODEL))
    shapes = model["shapes"]
    ops = model["operations"]
    for op in OPERATIONS:
        if op not in ops:
            sys.exit(f"operation {op} is not in the model")

    # Every shape reachable from the supported operations' inputs and outputs.
    reachable = []
    seen = set()

    def visit(name):
        if name in seen:
            return
        seen.add(name)
        shape = shapes[name]
        if shape["type"] == "structure":
            for member in shape["members"].values():
                visit(member["shape"])
        elif shape["type"] == "list":
            visit(shape["member"]["shape"])
        reachable.append(name)

    for op in OPERATIONS:
        visit(ops[op]["input"]["shape"])
        visit(ops[op]["output"]["shape"])
        # Error shapes themselves become `ModeledError`; their extra members
        # (InvalidRequestException's Reason and Detail) are needed as types.
        for error in ops[op].get("errors", []):
            for member in shapes[error["shape"]]["members"].values():
                visit(member["shape"])

    def rust_type(name):
        shape = shapes[name]
        t = shape["type"]
        if t == "structure":
            return name
        if t == "list":
            return f"Vec<{rust_type(shape['member']['shape'])}>"
        if t == "string":
            return name if "enum" in shape else "String"
        return {
            "integer": "i32",
            "long": "i64",
            "double": "f64",
            "float": "f32",
            "boolean": "bool",
            "timestamp": "Timestamp",
            "blob": "Blob",
        }[t]

    def has_default(name):
        shape = shapes[name]
        if shape["type"] == "structure":
            return all(
                m not in shape.get("required", []) or has_default(spec["shape"])
                for m, spec in shape["members"].items()
            )
        return not (shape["type"] == "string" and "enum" in shape)

    out = []
    w = out.append
    w("// @generated by crates/protocol/codegen/generate.py from")
    w("// crates/protocol/model/comprehend-2017-11-27.json. Do not edit by hand:")
    w("// change the generator or the model and run it again (CI checks the output).")
    w("")
    w("#![allow(clippy::large_enum_variant, clippy::enum_variant_names, clippy::too_many_lines)]")
    w("")
    w("use serde::{Deserialize, Serialize};")
    w("")
    w("use crate::error::ServiceError;")
    w("use crate::types::{Blob, RequestContext, Timestamp};")
    w("")

    # Operations table.
    w("/// The operations comprehend-local emulates: the one table everything else derives from.")
    w("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]")
    w("pub enum Operation {")
    for op in OPERATIONS:
        w(f"    {op},")
    w("}")
    w("")
    w("impl Operation {")
    w("    /// Every supported operation, in the order of the generator's table.")
    w("    pub const ALL: &'static [Operation] = &[")
    for op in OPERATIONS:
        w(f"        Operation::{op},")
    w("    ];")
    w("")
    w("    /// The operation's name as it appears after `Comprehend_20171127.` in `X-Amz-Target`.")
    w("    pub fn name(self) -> &'static str {")
    w("        match self {")
    for op in OPERATIONS:
        w(f'            Operation::{op} => "{op}",')
    w("        }")
    w("    }")
    w("")
    w("    /// Looks an operation up by its name.")
    w("    pub fn from_name(name: &str) -> Option<Operation> {")
    w("        match name {")
    for op in OPERATIONS:
        w(f'            "{op}" => Some(Operation::{op}),')
    w("            _ => None,")
    w("        }")
    w("    }")
    w("")
    w("    /// The name of the operation's input shape in the model (validation starts there).")
    w("    pub fn input_shape(self) -> &'static str {")
    w("        match self {")
    for op in OPERATIONS:
        w(f'            Operation::{op} => "{ops[op]["input"]["shape"]}",')
    w("        }")
    w("    }")
    w("")
    w("    /// The name of the operation's output shape in the model (a binary protocol's")
    w("    /// encoder walks it to know which numbers are timestamps or 32-bit floats).")
    w("    pub fn output_shape(self) -> &'static str {")
    w("        match self {")
    for op in OPERATIONS:
        w(f'            Operation::{op} => "{ops[op]["output"]["shape"]}",')
    w("        }")
    w("    }")
    w("}")
    w("")

    # Error codes.
    errors = sorted(n for n, s in shapes.items() if s.get("exception"))
    w("/// Every error shape the model declares, with the HTTP status it carries on the wire.")
    w("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]")
    w("pub enum ModeledError {")
    for e in errors:
        w(f"    {e},")
    w("}")
    w("")
    w("impl ModeledError {")
    w("    /// The shape name, sent as `__type` and `x-amzn-ErrorType`.")
    w("    pub fn name(self) -> &'static str {")
    w("        match self {")
    for e in errors:
        w(f'            ModeledError::{e} => "{e}",')
    w("        }")
    w("    }")
    w("")
    w("    /// The absolute shape id (`namespace#Name`), the `__type` of Smithy RPC v2 CBOR errors.")
    w("    pub fn shape_id(self) -> &'static str {")
    w("        match self {")
    for e in errors:
        w(f'            ModeledError::{e} => "{NAMESPACE}#{e}",')
    w("        }")
    w("    }")
    w("")
    w("    /// The HTTP status the model gives this error.")
    w("    pub fn status(self) -> u16 {")
    w("        match self {")
    for e in errors:
        status = shapes[e].get("error", {}).get("httpStatusCode", 500 if shapes[e].get("fault") else 400)
        w(f"            ModeledError::{e} => {status},")
    w("        }")
    w("    }")
    w("}")
    w("")

    # Shapes.
    for name in sorted(reachable):
        shape = shapes[name]
        if shape["type"] == "string" and "enum" in shape:
            w(f"/// Enum shape `{name}`.")
            w("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]")
            w(f"pub enum {name} {{")
            for value in shape["enum"]:
                w(f'    #[serde(rename = "{value}")]')
                w(f"    {variant(value)},")
            w("}")
            w("")
            w(f"impl {name} {{")
            w("    /// Every value, in model order.")
            w(f"    pub const ALL: &'static [{name}] = &[")
            for value in shape["enum"]:
                w(f"        {name}::{variant(value)},")
            w("    ];")
            w("")
            w("    /// The wire spelling.")
            w("    pub fn as_str(self) -> &'static str {")
            w("        match self {")
            for value in shape["enum"]:
                w(f'            {name}::{variant(value)} => "{value}",')
            w("        }")
            w("    }")
            w("")
            w("    /// Parses the wire spelling.")
            w("    pub fn parse(value: &str) -> Option<Self> {")
            w("        Self::ALL.iter().copied().find(|v| v.as_str() == value)")
            w("    }")
            w("}")
            w("")
            w(f"impl std::str::FromStr for {name} {{")
            w("    type Err = String;")
            w("    fn from_str(value: &str) -> Result<Self, String> {")
            w(f'        Self::parse(value).ok_or_else(|| format!("\'{{value}}\' is not a valid {name}"))')
            w("    }")
            w("}")
            w("")
            w(f"impl TryFrom<String> for {name} {{")
            w("    type Error = String;")
            w("    fn try_from(value: String) -> Result<Self, String> {")
            w("        value.parse()")
            w("    }")
            w("}")
            w("")
            w(f"impl std::fmt::Display for {name} {{")
            w("    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {")
            w("        f.write_str(self.as_str())")
            w("    }")
            w("}")
            w("")
        elif shape["type"] == "structure" and not shape.get("exception"):
            derives = ["Debug", "Clone", "PartialEq", "Serialize", "Deserialize"]
            if has_default(name):
                derives.insert(2, "Default")
            w(f"/// Structure shape `{name}`.")
            w(f"#[derive({', '.join(derives)})]")
            w(f"pub struct {name} {{")
            required = set(shape.get("required", []))
            for member, spec in shape["members"].items():
                t = "String" if (name, member) in OPEN_STRING_MEMBERS else rust_type(spec["shape"])
                field = snake(member)
                if member in required:
                    w(f'    #[serde(rename = "{member}")]')
                    w(f"    pub {field}: {t},")
                else:
                    w(f'    #[serde(rename = "{member}", default, skip_serializing_if = "Option::is_none")]')
                    w(f"    pub {field}: Option<{t}>,")
            w("}")
            w("")

    # The service trait and dispatch.
    w("/// One method per supported operation; the server implements it.")
    w("pub trait ComprehendApi: Sync {")
    for op in OPERATIONS:
        i = ops[op]["input"]["shape"]
        o = ops[op]["output"]["shape"]
        w(f"    /// `{op}`.")
        w(f"    fn {snake(op)}(")
        w("        &self,")
        w("        ctx: &RequestContext,")
        w(f"        input: {i},")
        w(f"    ) -> impl std::future::Future<Output = Result<{o}, ServiceError>> + Send;")
    w("}")
    w("")
    w("/// Decodes `body` as the operation's input, calls the handler and encodes its output.")
    w("///")
    w("/// `body` must already have passed [`crate::validate::validate`], so decoding only fails")
    w("/// on what validation does not model (it reports a `SerializationException`).")
    w("pub async fn dispatch<A: ComprehendApi>(")
    w("    api: &A,")
    w("    ctx: &RequestContext,")
    w("    operation: Operation,")
    w("    body: serde_json::Value,")
    w(") -> Result<serde_json::Value, ServiceError> {")
    w("    match operation {")
    for op in OPERATIONS:
        w(f"        Operation::{op} => {{")
        w(f"            let output = api.{snake(op)}(ctx, crate::decode(body)?).await?;")
        w("            crate::encode(&output)")
        w("        }")
    w("    }")
    w("}")

    text = "\n".join(out) + "\n"
    formatted = subprocess.run(
        ["rustfmt", "--edition", "2024", "--emit", "stdout"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    if "--check" in sys.argv:
        current = open(OUT).read() if os.path.exists(OUT) else ""
        if current != formatted:
            sys.exit(f"{OUT} is out of date: run python3 crates/protocol/codegen/generate.py")
        return
    with open(OUT, "w") as f:
        f.write(formatted)
    print(f"wrote {OUT}: {len(OPERATIONS)} operations, {len(reachable)} shapes")


if __name__ == "__main__":
    main()
