#!/usr/bin/env python3
"""The Comprehend flywheel walkthrough with boto3, against comprehend-local.

Start the server first (`cargo run --release`), then: python3 examples/walkthrough.py
boto3 finds the server through AWS_ENDPOINT_URL (default here: http://127.0.0.1:4599);
any credentials work.
"""
import io
import os
import sys
import tarfile
import time

import boto3
from botocore.config import Config

os.environ.setdefault("AWS_ENDPOINT_URL", "http://127.0.0.1:4599")
os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

PREFIX = os.environ.get("PREFIX", "walkthrough-py")
# Each run names its classifier, flywheel, endpoint and job anew, so the walkthrough runs
# any number of times against one server; the buckets are reused.
NAME = f"{PREFIX}-{os.environ.get('RUN', time.strftime('%Y%m%d%H%M%S'))}"
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
ROLE = "arn:aws:iam::111122223333:role/ComprehendDataAccess"
BUCKET, LAKE = f"{PREFIX}-data", f"{PREFIX}-lake"

# Path-style addressing (http://host/bucket/key) works with every local S3, whatever its host name.
s3 = boto3.client("s3", config=Config(s3={"addressing_style": "path"}))
comprehend = boto3.client("comprehend")


def step(title):
    print(f"\n== {title}")


def wait(describe, pending=("SUBMITTED", "TRAINING", "STOP_REQUESTED", "CREATING", "UPDATING", "EVALUATING", "IN_PROGRESS")):
    """Polls `describe` until it returns a status that is not pending (there are no Comprehend waiters)."""
    for _ in range(600):
        status = describe()
        if status not in pending:
            return status
        time.sleep(1)
    raise TimeoutError("still pending after 10 minutes")


step("2. Buckets and data")
for bucket in (BUCKET, LAKE):
    try:
        s3.head_bucket(Bucket=bucket)
    except s3.exceptions.ClientError:
        s3.create_bucket(Bucket=bucket)
for name, key in [("initial.csv", "initial/initial.csv"), ("new-data.csv", "new-data/new-data.csv"),
                  ("test.csv", "test/test.csv"), ("inference.txt", "inference/documents.txt")]:
    s3.upload_file(os.path.join(DATA, name), BUCKET, key)
    print(f"uploaded s3://{BUCKET}/{key}")

step("3. A classifier trained on the initial data")
model = comprehend.create_document_classifier(
    DocumentClassifierName=f"{NAME}-classifier", VersionName="v1", DataAccessRoleArn=ROLE,
    InputDataConfig={"S3Uri": f"s3://{BUCKET}/initial/"}, OutputDataConfig={"S3Uri": f"s3://{BUCKET}/training-output/"},
    LanguageCode="en")["DocumentClassifierArn"]
status = wait(lambda: comprehend.describe_document_classifier(DocumentClassifierArn=model)["DocumentClassifierProperties"]["Status"])
props = comprehend.describe_document_classifier(DocumentClassifierArn=model)["DocumentClassifierProperties"]
print(model, status, props["ClassifierMetadata"]["EvaluationMetrics"])

step("4. A flywheel around the trained model")
flywheel = comprehend.create_flywheel(FlywheelName=f"{NAME}-flywheel", ActiveModelArn=model, DataAccessRoleArn=ROLE,
                                      DataLakeS3Uri=f"s3://{LAKE}/flywheels")["FlywheelArn"]
print(flywheel, wait(lambda: comprehend.describe_flywheel(FlywheelArn=flywheel)["FlywheelProperties"]["Status"]))

step("5. Datasets: new training data and held-out test data")
for name, kind, prefix in [("new-data", "TRAIN", "new-data/"), ("held-out", "TEST", "test/")]:
    arn = comprehend.create_dataset(FlywheelArn=flywheel, DatasetName=name, DatasetType=kind, InputDataConfig={
        "DataFormat": "COMPREHEND_CSV", "DocumentClassifierInputDataConfig": {"S3Uri": f"s3://{BUCKET}/{prefix}"}})["DatasetArn"]
    wait(lambda: comprehend.describe_dataset(DatasetArn=arn)["DatasetProperties"]["Status"])
for d in comprehend.list_datasets(FlywheelArn=flywheel)["DatasetPropertiesList"]:
    print(f"{d['DatasetName']:25} {d['DatasetType']:5} {d['Status']:9} {d.get('NumberOfDocuments')}")

step("6. A flywheel iteration: evaluate the active version, train a new one")
iteration = comprehend.start_flywheel_iteration(FlywheelArn=flywheel)["FlywheelIterationId"]
wait(lambda: comprehend.describe_flywheel_iteration(FlywheelArn=flywheel, FlywheelIterationId=iteration)
     ["FlywheelIterationProperties"]["Status"])
it = comprehend.describe_flywheel_iteration(FlywheelArn=flywheel, FlywheelIterationId=iteration)["FlywheelIterationProperties"]
before, after = it["EvaluatedModelMetrics"]["AverageF1Score"], it["TrainedModelMetrics"]["AverageF1Score"]
print(it["Message"])
print(f"F1 of the active version: {before}; of the new version: {after}")
if after <= before:
    sys.exit("the new version did not beat the active one")

step("7. Promote the new version")
props = comprehend.update_flywheel(FlywheelArn=flywheel, ActiveModelArn=it["TrainedModelArn"])["FlywheelProperties"]
print("active:", props["ActiveModelArn"])

step("8. Use it: an endpoint that follows the flywheel, and an async job")
endpoint = comprehend.create_endpoint(EndpointName=f"{NAME}-endpoint", FlywheelArn=flywheel,
                                      DesiredInferenceUnits=1)["EndpointArn"]
wait(lambda: comprehend.describe_endpoint(EndpointArn=endpoint)["EndpointProperties"]["Status"])
answer = comprehend.classify_document(EndpointArn=endpoint, Text="a large bird of prey with a hooked beak")
print("top classes:", [(c["Name"], round(c["Score"], 3)) for c in answer["Classes"][:3]])
job = comprehend.start_document_classification_job(
    JobName=f"{NAME}-job", FlywheelArn=flywheel, DataAccessRoleArn=ROLE,
    InputDataConfig={"S3Uri": f"s3://{BUCKET}/inference/", "InputFormat": "ONE_DOC_PER_LINE"},
    OutputDataConfig={"S3Uri": f"s3://{BUCKET}/inference-output/"})["JobId"]
wait(lambda: comprehend.describe_document_classification_job(JobId=job)["DocumentClassificationJobProperties"]["JobStatus"])
output = comprehend.describe_document_classification_job(JobId=job)["DocumentClassificationJobProperties"]["OutputDataConfig"]["S3Uri"]
bucket, key = output[len("s3://"):].split("/", 1)
archive = tarfile.open(fileobj=io.BytesIO(s3.get_object(Bucket=bucket, Key=key)["Body"].read()))
lines = archive.extractfile("predictions.jsonl").read().decode().splitlines()
print(f"{len(lines)} predictions in {output}; first: {lines[0][:120]}...")

step("9. Clean up")
comprehend.delete_endpoint(EndpointArn=endpoint)
for _ in range(60):
    try:
        comprehend.describe_endpoint(EndpointArn=endpoint)
        time.sleep(1)
    except comprehend.exceptions.ResourceNotFoundException:
        break
comprehend.delete_flywheel(FlywheelArn=flywheel)
versions = comprehend.list_document_classifiers(Filter={"DocumentClassifierName": f"{NAME}-classifier"})
for v in versions["DocumentClassifierPropertiesList"]:
    comprehend.delete_document_classifier(DocumentClassifierArn=v["DocumentClassifierArn"])
    print("deleted", v["DocumentClassifierArn"])
print(f"\nWalkthrough complete: F1 went from {before} to {after} with the flywheel's new data.")
