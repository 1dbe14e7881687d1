@srp
Feature: Logging in by SRP, as production apps do
  The tutorial logs in with USER_PASSWORD_AUTH for the demo, and notes that production
  apps should use SRP (USER_SRP_AUTH): the password never leaves the user's device. The
  app sends a random public value, Cognito answers with a challenge, and the app proves
  it knows the password by signing that challenge. An app client made without any
  ExplicitAuthFlows allows SRP.

  Background:
    Given a user pool with e-mail as the username and e-mail auto-verification
    And an app client "app" created without options

  @moto-differs
  Scenario: A confirmed user logs in by SRP and receives tokens signed by the pool
    Given bob has signed up and been confirmed by an administrator
    When bob logs in by SRP with his password
    Then he receives an id token, an access token and a refresh token
    And the id and access tokens are signed by the pool's two keys
    And the id token names bob and his e-mail address

  @moto-differs
  Scenario: A wrong password is refused at the end of the SRP exchange
    Given bob has signed up and been confirmed by an administrator
    When bob logs in by SRP with a wrong password
    Then the request is refused with NotAuthorizedException: "Incorrect username or password."

  Scenario: A user who has not confirmed the sign-up cannot log in by SRP
    Given carol has signed up
    When carol logs in by SRP with her password
    Then the request is refused with UserNotConfirmedException: "User is not confirmed."
