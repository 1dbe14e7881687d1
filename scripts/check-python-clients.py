#!/usr/bin/env python3
"""Real Python clients against a running emulator, as app teams use them.

pycognito signs in by SRP (with a client secret, so SECRET_HASH too) and verifies the
tokens it gets against the pool's JWKS; pyotp plays the authenticator app for TOTP MFA.
The emulator must run with --issuer-base set to its own URL, because pycognito expects
the tokens' issuer under the endpoint it calls.

    scripts/check-python-clients.py http://127.0.0.1:4566

Exits non-zero, saying what it expected and what it got, on the first difference.
"""
import os
import sys
import time

import boto3
import pyotp
from pycognito import Cognito
from pycognito.exceptions import SoftwareTokenMFAChallengeException

endpoint = sys.argv[1]
os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")
idp = boto3.client("cognito-idp", region_name="us-east-1", endpoint_url=endpoint)


def expect(what, expected, got):
    if expected != got:
        sys.exit(f"{what}: expected {expected!r}, got {got!r}")
    print(f"ok: {what}")


pool = idp.create_user_pool(PoolName="python-clients")["UserPool"]["Id"]
app = idp.create_user_pool_client(UserPoolId=pool, ClientName="app", GenerateSecret=True)[
    "UserPoolClient"
]
idp.admin_create_user(UserPoolId=pool, Username="pat", MessageAction="SUPPRESS")
idp.admin_set_user_password(UserPoolId=pool, Username="pat", Password="Aa123456!", Permanent=True)


def user():
    return Cognito(
        pool,
        app["ClientId"],
        client_secret=app["ClientSecret"],
        username="pat",
        boto3_client_kwargs={"endpoint_url": endpoint},
    )


# SRP sign-in; pycognito verifies both tokens against the JWKS (signature, issuer, use).
pat = user()
pat.authenticate(password="Aa123456!")
expect("SRP sign-in gives verified tokens", True, bool(pat.id_token and pat.access_token))

try:
    user().authenticate(password="Wrong123!")
    sys.exit("a wrong password was accepted")
except idp.exceptions.NotAuthorizedException as e:
    expect("a wrong password is refused", "Incorrect username or password.", e.response["Error"]["Message"])

# TOTP MFA with pyotp as the authenticator app.
idp.set_user_pool_mfa_config(
    UserPoolId=pool, MfaConfiguration="OPTIONAL", SoftwareTokenMfaConfiguration={"Enabled": True}
)
secret = idp.associate_software_token(AccessToken=pat.access_token)["SecretCode"]
expect("the secret is 52 base32 characters", 52, len(secret))
totp = pyotp.TOTP(secret)
status = idp.verify_software_token(AccessToken=pat.access_token, UserCode=totp.now())["Status"]
expect("the app's code verifies the token", "SUCCESS", status)
idp.set_user_mfa_preference(
    AccessToken=pat.access_token,
    SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
)
again = user()
try:
    again.authenticate(password="Aa123456!")
    sys.exit("MFA was not asked for")
except SoftwareTokenMFAChallengeException as challenge:
    # The code of the next 30-second step: the current one was used to verify, and a
    # code works once; the emulator accepts one step either side.
    again.respond_to_software_token_mfa_challenge(
        totp.at(time.time() + 30), challenge.get_tokens()
    )
expect("SRP then TOTP gives verified tokens", True, bool(again.access_token))
settings = idp.get_user(AccessToken=again.access_token)["UserMFASettingList"]
expect("GetUser lists the factor", ["SOFTWARE_TOKEN_MFA"], settings)
print("python clients: all checks passed")
