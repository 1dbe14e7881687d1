Feature: Our app's sign-in
  Our web app signs its users in with a password and keeps them signed in for an hour.
  The steps are the harness's, but for the last one, which is ours (src/steps.rs).

  Scenario: A confirmed user signs in and stays signed in for an hour
    Given a user pool with e-mail as the username and e-mail auto-verification
    And an app client "web" with the USER_PASSWORD_AUTH flow
    And bob has signed up and been confirmed by an administrator
    When bob logs in with his password
    Then the id and access tokens are signed by the pool's two keys
    And bob's session lasts an hour
