@login
Feature: Logging in, refreshing and resetting a password

  Background:
    Given a user pool with e-mail as the username and e-mail auto-verification
    And an app client "cli" with the USER_PASSWORD_AUTH flow

  Scenario: A wrong password is refused
    Given bob has signed up and been confirmed by an administrator
    When bob logs in with a wrong password
    Then the request is refused with NotAuthorizedException: "Incorrect username or password."

  Scenario: A user who never signed up cannot log in
    When dave, who never signed up, logs in
    Then the request is refused with UserNotFoundException: "User does not exist."

  @moto-differs
  Scenario: A client without USER_PASSWORD_AUTH cannot log in with a password
    Given bob has signed up and been confirmed by an administrator
    And an app client "web" without the USER_PASSWORD_AUTH flow
    When bob logs in with his password through the client "web"
    Then the request is refused with InvalidParameterException: "USER_PASSWORD_AUTH flow not enabled for this client"

  @moto-differs
  Scenario: The refresh token opens a new session
    Given bob has signed up and been confirmed by an administrator
    And bob has logged in
    When bob refreshes his session with the refresh token
    Then he receives a new id token and access token, and no refresh token
    And the new tokens belong to the same sign-in as the first ones
    And the id and access tokens are signed by the pool's two keys

  @mail
  Scenario: A forgotten password is reset with the mailed code
    Given bob has signed up and confirmed with the mailed code
    When bob says he forgot his password
    Then the code was sent by EMAIL to bob's masked address
    When bob reads the code in the mail "Your verification code"
    And bob chooses a new password with the code
    Then bob can log in with the new password
    And bob cannot log in with the old password
