@user-flow
Feature: The user flow on the pool under test
  Sign-up, refusal, confirmation with the mailed code, login and tokens — on a pool the
  harness makes, or on one that already exists (--user-pool-id and --client-id: a team's
  staging pool, built by its own infrastructure code, whose client may have a secret).

  Background:
    Given the user pool under test and its app client

  @mail
  Scenario: A new user is refused until confirmed with the mailed code, then logs in
    When erin signs up
    Then the sign-up is not confirmed yet
    And the code was sent by EMAIL to erin's masked address
    When erin logs in with her password
    Then the request is refused with UserNotConfirmedException: "User is not confirmed."
    When erin reads the code in the pool's verification mail
    And erin confirms her sign-up with the code
    Then erin is CONFIRMED
    When erin logs in with her password
    Then she receives an id token, an access token and a refresh token
    And the id and access tokens are signed by the pool's two keys
    And the id token names erin and her e-mail address

  Scenario: A wrong password is refused on the pool under test
    When frank signs up
    And an administrator confirms frank's sign-up
    And frank logs in with a wrong password
    Then the request is refused with NotAuthorizedException: "Incorrect username or password."
