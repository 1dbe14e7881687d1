@triggers @embedded-triggers
Feature: Lambda triggers change a sign-up and the tokens
  A pool can name Lambda functions that Cognito calls at set moments. Before a sign-up,
  a pre-sign-up function may confirm the user and verify the address, so that no code is
  mailed; before the tokens are made, a pre-token-generation function may add claims to
  the id token. The functions here are the harness's own: they run inside the embedded
  emulator, so these scenarios are left out on other targets.

  Background:
    Given a user pool with e-mail as the username and e-mail auto-verification
    And an app client "cli" with the USER_PASSWORD_AUTH flow

  @mail
  Scenario: The pre-sign-up trigger confirms the addresses of one domain
    Given the pool's pre-sign-up trigger confirms addresses at example.org
    When alice signs up with an address at example.org
    Then alice can log in without a code
    And alice is CONFIRMED
    And alice's e-mail address is verified
    And no mail was sent to alice
    When bob signs up with an address at example.com
    Then the sign-up is not confirmed yet
    And bob is UNCONFIRMED
    When bob reads the code in the mail "Your verification code"
    And bob confirms his sign-up with the code
    Then bob is CONFIRMED

  Scenario: The pre-token-generation trigger adds a claim to the id token
    Given the pool's pre-token-generation trigger adds the claim tenant = acme
    And alice has signed up and been confirmed by an administrator
    When alice logs in with her password
    Then alice's id token says tenant acme
    And the id token names alice and her e-mail address
