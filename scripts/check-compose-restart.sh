#!/usr/bin/env bash
# Against the compose stack: the emulator keeps its state in the emulator-state volume
# (--state-dir /state), so a pool, its client and a user made before `restart` are there
# after it, and the user still signs in.
# Usage: scripts/check-compose-restart.sh ENDPOINT AWS-CLI COMPOSE-COMMAND...
set -euo pipefail
endpoint=$1 aws=$2
shift 2
compose=("$@")
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
idp() { "$aws" --endpoint-url "$endpoint" cognito-idp "$@"; }
pool=$(idp create-user-pool --pool-name compose-restart --query UserPool.Id --output text)
client=$(idp create-user-pool-client --user-pool-id "$pool" --client-name app \
  --explicit-auth-flows ALLOW_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH \
  --query UserPoolClient.ClientId --output text)
idp admin-create-user --user-pool-id "$pool" --username ada --message-action SUPPRESS >/dev/null
idp admin-set-user-password --user-pool-id "$pool" --username ada --password 'Aa123456!' --permanent
"${compose[@]}" restart emulator >/dev/null
for _ in $(seq 1 60); do
  [ "$(docker inspect -f '{{.State.Health.Status}}' "$("${compose[@]}" ps -q emulator)")" = healthy ] && break
  sleep 0.5
done
name=$(idp describe-user-pool --user-pool-id "$pool" --query UserPool.Name --output text)
[ "$name" = compose-restart ] || { echo "after the restart: expected the pool compose-restart, got $name"; exit 1; }
idp initiate-auth --client-id "$client" --auth-flow USER_PASSWORD_AUTH \
  --auth-parameters USERNAME=ada,PASSWORD='Aa123456!' --query AuthenticationResult.TokenType --output text \
  | grep -qx Bearer || { echo "after the restart: ada could not sign in"; exit 1; }
idp delete-user-pool --user-pool-id "$pool"
echo "compose restart: the pool, its client and ada were kept across a restart of the emulator"
