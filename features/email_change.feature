@mail @attributes
Feature: Changing the e-mail address
  A user who moves to a new address changes it themselves. Cognito mails a code to the
  new address, which stays unverified until the user enters the code. The address is
  the username, so from then on the user logs in with the new one.

  Background:
    Given a user pool with e-mail as the username and e-mail auto-verification
    And an app client "cli" with the USER_PASSWORD_AUTH flow

  Scenario: A user changes their address, verifies it with the mailed code and logs in with it
    Given bob has signed up and confirmed with the mailed code
    And bob has logged in
    When bob changes his e-mail address
    Then the code was sent by EMAIL to bob's masked address
    And bob's e-mail address is not verified
    When bob reads the code in the mail "Your verification code"
    And bob verifies his new e-mail address with the code
    Then bob's e-mail address is verified
    When bob logs in with his password
    Then he receives an id token, an access token and a refresh token
    And the id token names bob, his e-mail address and email_verified true
    When bob logs in with his old e-mail address
    Then the request is refused with UserNotFoundException: "User does not exist."
