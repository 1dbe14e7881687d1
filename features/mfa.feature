@mfa
Feature: A second factor from an authenticator app
  A pool can ask for more than the password: a code from an authenticator app on the
  user's phone. Cognito shares a secret with the app; the app shows a new 6-digit code
  every 30 seconds, and each code works once. Where MFA is optional, the users who set
  up an app are asked for its code; where it is required, the first login sets the app
  up before it lets the user in.

  Background:
    Given a user pool with e-mail as the username and e-mail auto-verification
    And an app client "cli" with the USER_PASSWORD_AUTH flow

  @moto-differs @slow
  Scenario: A user adds an authenticator app, then logs in with its code
    Given the pool offers optional MFA with an authenticator app
    And bob has signed up and been confirmed by an administrator
    And bob has logged in
    When bob adds an authenticator app to his account
    Then Cognito shares a secret of 52 base32 characters with bob's app
    When bob confirms the app with the code it shows
    And bob makes the app his preferred second factor
    And bob logs in with his password
    Then he is asked for the code from his authenticator app
    When bob enters the next code his app shows
    Then he receives an id token, an access token and a refresh token
    And the id and access tokens are signed by the pool's two keys

  @moto-differs
  Scenario: A wrong code from the app is refused
    Given the pool offers optional MFA with an authenticator app
    And bob has signed up and been confirmed by an administrator
    And bob has set up an authenticator app as his preferred second factor
    When bob logs in with his password
    Then he is asked for the code from his authenticator app
    When bob enters a wrong code
    Then the request is refused with CodeMismatchException: "Invalid code received for user"

  @moto-differs
  Scenario: Where MFA is required, the first login sets up the app
    Given the pool requires MFA with an authenticator app
    And carol has signed up and been confirmed by an administrator
    When carol logs in with her password
    Then she is asked to set up an authenticator app
    When carol adds an authenticator app to her account
    Then Cognito shares a secret of 52 base32 characters with carol's app
    When carol confirms the app with the code it shows
    And carol goes on with her sign-in
    Then she receives an id token, an access token and a refresh token
