#!/usr/bin/env python3
"""The Comprehend flywheel story for custom entity recognition, with boto3, against comprehend-local.

Start the server first (`cargo run --release`), then: python3 examples/flywheel_entities.py
boto3 finds the server through AWS_ENDPOINT_URL (default here: http://127.0.0.1:4599);
any credentials work. PREFIX (default flywheel-entities-py) and RUN (default the time) name
this run's resources, so it runs any number of times against one server; the bucket is reused.

It trains a recognizer for PER, LOC, ORG and MISC on 150 annotated Wikipedia sentences,
builds a flywheel around it, feeds the flywheel 650 more, lets an iteration train and
evaluate a new version on held-out sentences (it must beat the first one, or the script
fails), promotes it, serves it through an endpoint (DetectEntities) and an async entities
detection job that both follow the flywheel, and cleans up. The data in
examples/data/wikigold/ are a slice of the wikigold corpus (CC-BY 4.0, Balasuriya et al.
2009); its README says how it was cut. examples/flywheel-entities.sh is the AWS CLI version.
"""
import io
import json
import os
import sys
import tarfile
import time

import boto3
from botocore.config import Config

os.environ.setdefault("AWS_ENDPOINT_URL", os.environ.get("ENDPOINT_URL", "http://127.0.0.1:4599"))
os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

PREFIX = os.environ.get("PREFIX", "flywheel-entities-py")
# Each run names its recognizer, flywheel (and its data lake folder), endpoint and job anew.
NAME = f"{PREFIX}-{os.environ.get('RUN', time.strftime('%Y%m%d%H%M%S'))}"
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "wikigold")
ROLE = "arn:aws:iam::111122223333:role/ComprehendDataAccess"
BUCKET = f"{PREFIX}-data"
LAKE = f"s3://{BUCKET}/{NAME}-lake/"
ENTITY_TYPES = ["PER", "LOC", "ORG", "MISC"]

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


step("1. A bucket with documents and annotations")
try:
    s3.head_bucket(Bucket=BUCKET)
except s3.exceptions.ClientError:
    s3.create_bucket(Bucket=BUCKET)
uploads = [("inference.txt", "inference/inference.txt")]
for piece in ("initial", "new-data", "test"):
    uploads += [(f"{piece}.txt", f"{piece}/{piece}.txt"), (f"{piece}-annotations.csv", f"annotations/{piece}.csv")]
for name, key in uploads:
    s3.upload_file(os.path.join(DATA, name), BUCKET, key)
    print(f"uploaded s3://{BUCKET}/{key}")

step("2. A recognizer trained on the first slice, tested on the held-out one")
recognizer = comprehend.create_entity_recognizer(
    RecognizerName=f"{NAME}-recognizer", VersionName="v1", DataAccessRoleArn=ROLE, LanguageCode="en",
    InputDataConfig={
        "EntityTypes": [{"Type": t} for t in ENTITY_TYPES],
        "Documents": {"S3Uri": f"s3://{BUCKET}/initial/", "TestS3Uri": f"s3://{BUCKET}/test/"},
        "Annotations": {"S3Uri": f"s3://{BUCKET}/annotations/initial.csv",
                        "TestS3Uri": f"s3://{BUCKET}/annotations/test.csv"}})["EntityRecognizerArn"]
status = wait(lambda: comprehend.describe_entity_recognizer(EntityRecognizerArn=recognizer)
              ["EntityRecognizerProperties"]["Status"])
meta = comprehend.describe_entity_recognizer(EntityRecognizerArn=recognizer)["EntityRecognizerProperties"]["RecognizerMetadata"]
print(recognizer, status)
print(f"{meta['NumberOfTrainedDocuments']} training and {meta['NumberOfTestDocuments']} test documents;",
      "metrics (0-100):", meta["EvaluationMetrics"])
for t in meta["EntityTypes"]:
    print(f"  {t['Type']:5} {t['NumberOfTrainMentions']:4} training mentions, F1 {t['EvaluationMetrics']['F1Score']:.1f}")

step("3. A flywheel around the trained recognizer")
flywheel = comprehend.create_flywheel(FlywheelName=f"{NAME}-flywheel", ActiveModelArn=recognizer,
                                      DataAccessRoleArn=ROLE, DataLakeS3Uri=LAKE)["FlywheelArn"]
print(flywheel, wait(lambda: comprehend.describe_flywheel(FlywheelArn=flywheel)["FlywheelProperties"]["Status"]))
props = comprehend.describe_flywheel(FlywheelArn=flywheel)["FlywheelProperties"]
print(props["ModelType"], [t["Type"] for t in props["TaskConfig"]["EntityRecognitionConfig"]["EntityTypes"]],
      "data lake:", props["DataLakeS3Uri"])

step("4. A dataset of new training data")
dataset = comprehend.create_dataset(FlywheelArn=flywheel, DatasetName="new-data", DatasetType="TRAIN", InputDataConfig={
    "DataFormat": "COMPREHEND_CSV",
    "EntityRecognizerInputDataConfig": {
        "Documents": {"S3Uri": f"s3://{BUCKET}/new-data/", "InputFormat": "ONE_DOC_PER_LINE"},
        "Annotations": {"S3Uri": f"s3://{BUCKET}/annotations/new-data.csv"}}})["DatasetArn"]
print(dataset, wait(lambda: comprehend.describe_dataset(DatasetArn=dataset)["DatasetProperties"]["Status"]))
print("in the lake at", comprehend.describe_dataset(DatasetArn=dataset)["DatasetProperties"]["DatasetS3Uri"])
for d in comprehend.list_datasets(FlywheelArn=flywheel)["DatasetPropertiesList"]:
    print(f"{d['DatasetName']:25} {d['DatasetType']:5} {d['Status']:9} {d.get('NumberOfDocuments')}")

step("5. A flywheel iteration: evaluate the active version, train a new one")
iteration = comprehend.start_flywheel_iteration(FlywheelArn=flywheel)["FlywheelIterationId"]
wait(lambda: comprehend.describe_flywheel_iteration(FlywheelArn=flywheel, FlywheelIterationId=iteration)
     ["FlywheelIterationProperties"]["Status"])
it = comprehend.describe_flywheel_iteration(FlywheelArn=flywheel, FlywheelIterationId=iteration)["FlywheelIterationProperties"]
print(it["Message"])
print("evaluated", it["EvaluatedModelArn"], it["EvaluatedModelMetrics"])
print("trained  ", it["TrainedModelArn"], it["TrainedModelMetrics"])
before, after = it["EvaluatedModelMetrics"]["AverageF1Score"], it["TrainedModelMetrics"]["AverageF1Score"]
print(f"F1 on the held-out sentences of the active version: {before}; of the new version: {after}")
if after <= before:
    sys.exit("the new version did not beat the active one")

step("6. Promote the new version")
props = comprehend.update_flywheel(FlywheelArn=flywheel, ActiveModelArn=it["TrainedModelArn"])["FlywheelProperties"]
print("active:", props["ActiveModelArn"])

step("7. Use it: an endpoint that follows the flywheel, and an async job")
endpoint = comprehend.create_endpoint(EndpointName=f"{NAME}-endpoint", FlywheelArn=flywheel,
                                      DesiredInferenceUnits=1)["EndpointArn"]
wait(lambda: comprehend.describe_endpoint(EndpointArn=endpoint)["EndpointProperties"]["Status"])
print("endpoint serves", comprehend.describe_endpoint(EndpointArn=endpoint)["EndpointProperties"]["ModelArn"])
with open(os.path.join(DATA, "inference.txt"), encoding="utf-8") as f:
    text = f.readline().rstrip("\n")
for e in comprehend.detect_entities(EndpointArn=endpoint, Text=text)["Entities"]:
    print(f"  {e['Type']:5} {e['BeginOffset']:4}-{e['EndOffset']:<4} {e['Score']:.3f} {e['Text']}")
job = comprehend.start_entities_detection_job(
    JobName=f"{NAME}-job", FlywheelArn=flywheel, LanguageCode="en", DataAccessRoleArn=ROLE,
    InputDataConfig={"S3Uri": f"s3://{BUCKET}/inference/", "InputFormat": "ONE_DOC_PER_LINE"},
    OutputDataConfig={"S3Uri": f"s3://{BUCKET}/inference-output/"})["JobId"]
print("entities job:", wait(lambda: comprehend.describe_entities_detection_job(JobId=job)
                            ["EntitiesDetectionJobProperties"]["JobStatus"]))
output = comprehend.describe_entities_detection_job(JobId=job)["EntitiesDetectionJobProperties"]["OutputDataConfig"]["S3Uri"]
bucket, key = output[len("s3://"):].split("/", 1)
archive = tarfile.open(fileobj=io.BytesIO(s3.get_object(Bucket=bucket, Key=key)["Body"].read()))
print(f"{output} holds one line per document, the mentions found:")
for line in archive.extractfile("output").read().decode().splitlines():
    record = json.loads(line)
    print(f"line {record['Line']}:", "; ".join(f"{e['Text']} ({e['Type']})" for e in record["Entities"]) or "-")

step("8. Clean up")
comprehend.delete_endpoint(EndpointArn=endpoint)
for _ in range(60):
    try:
        comprehend.describe_endpoint(EndpointArn=endpoint)
        time.sleep(1)
    except comprehend.exceptions.ResourceNotFoundException:
        break
print("endpoint deleted")
comprehend.delete_flywheel(FlywheelArn=flywheel)
print("flywheel deleted")
versions = comprehend.list_entity_recognizers(Filter={"RecognizerName": f"{NAME}-recognizer"})
for v in versions["EntityRecognizerPropertiesList"]:
    comprehend.delete_entity_recognizer(EntityRecognizerArn=v["EntityRecognizerArn"])
    print("deleted", v["EntityRecognizerArn"])
print(f"\nEntity flywheel walkthrough complete: F1 went from {before} to {after} with the flywheel's new data.")
