"""Everything that talks to AWS: settings, boto3 clients, rate limits, error translation.

Only `settings` may be imported on hot paths: the other modules import boto3.
"""
