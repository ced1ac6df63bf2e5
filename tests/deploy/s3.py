"""Bucket operations for tests/deploy.rs, against the S3 endpoint in
AWS_ENDPOINT_URL (the moto server the test started).

    s3.py create BUCKET          make the bucket
    s3.py put BUCKET KEY TEXT    store TEXT at KEY
    s3.py dump BUCKET            print every object as JSON: key -> size,
                                 etag, content type, cache control, md5 of
                                 the body, the MD5 annals stored as metadata
"""
import hashlib
import json
import os
import sys

import boto3


def client():
    return boto3.client(
        "s3",
        endpoint_url=os.environ["AWS_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def main(argv):
    s3 = client()
    cmd, bucket = argv[1], argv[2]
    if cmd == "create":
        s3.create_bucket(Bucket=bucket)
    elif cmd == "put":
        s3.put_object(Bucket=bucket, Key=argv[3], Body=argv[4].encode())
    elif cmd == "dump":
        found = {}
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for obj in page.get("Contents", []):
                key = obj["Key"]
                got = s3.get_object(Bucket=bucket, Key=key)
                body = got["Body"].read()
                found[key] = {
                    "size": obj["Size"],
                    "etag": obj["ETag"].strip('"'),
                    "content_type": got.get("ContentType"),
                    "cache_control": got.get("CacheControl"),
                    "md5": hashlib.md5(body).hexdigest(),
                    "stored_md5": got.get("Metadata", {}).get("annals-md5"),
                }
        json.dump(found, sys.stdout)
    else:
        raise SystemExit("unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
