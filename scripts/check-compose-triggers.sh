#!/usr/bin/env bash
# Against the compose stack: a pool whose PreSignUp names the example function is served
# by the trigger service through the Lambda Invoke API. An example.org address is
# confirmed without a code; an example.net one is refused with the function's message.
# Usage: scripts/check-compose-triggers.sh ENDPOINT [AWS-CLI]
set -euo pipefail
endpoint=${1:-http://localhost:4566}
aws=${2:-aws}
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
idp() { "$aws" --endpoint-url "$endpoint" cognito-idp "$@"; }
arn=arn:aws:lambda:us-east-1:000000000000:function:pre-sign-up
pool=$(idp create-user-pool --pool-name compose-triggers --username-attributes email \
  --auto-verified-attributes email --lambda-config "PreSignUp=$arn" \
  --query UserPool.Id --output text)
client=$(idp create-user-pool-client --user-pool-id "$pool" --client-name app \
  --query UserPoolClient.ClientId --output text)
confirmed=$(idp sign-up --client-id "$client" --username ada@example.org --password 'Aa123456!' \
  --user-attributes Name=email,Value=ada@example.org --query UserConfirmed --output text)
[ "$confirmed" = True ] || { echo "ada@example.org: expected UserConfirmed True, got $confirmed"; exit 1; }
if out=$(idp sign-up --client-id "$client" --username eve@example.net --password 'Aa123456!' \
  --user-attributes Name=email,Value=eve@example.net 2>&1); then
  echo "eve@example.net: expected a refusal, got: $out"; exit 1
fi
case "$out" in
  *UserLambdaValidationException*"PreSignUp failed with error sign-ups from example.net are closed."*) ;;
  *) echo "eve@example.net: expected UserLambdaValidationException, got: $out"; exit 1 ;;
esac
idp delete-user-pool --user-pool-id "$pool"
echo "compose triggers: the trigger service confirmed ada@example.org and refused eve@example.net"
