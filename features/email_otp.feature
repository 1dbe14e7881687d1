@mail @ses @email-otp
Feature: Codes by e-mail: logging in without a password, and a second factor
  A pool that sends its mail through its own SES sender (the tutorial's prerequisite) can
  mail users a one-time sign-in code. A user may then log in with the code alone,
  choose between the code and the password, or be asked for the code after the
  password. The code is 8 digits, in the mail the pool names.

  Background:
    Given the sender address is verified in SES

  Scenario: A user logs in without a password, with a code sent by e-mail
    Given a user pool that mails through SES from the sender and lets users sign in with a password or a code by e-mail
    And the pool sends sign-in codes in the mail "Your sign-in code"
    And an app client "web" that lets users choose how they sign in
    And bob has signed up and confirmed with the mailed code
    When bob asks to sign in with a code sent by e-mail
    Then he is asked for the code sent to his e-mail address
    When bob reads the sign-in code in the mail "Your sign-in code"
    Then the sign-in code in bob's mail has 8 digits
    When bob enters the code from the mail
    Then he receives an id token, an access token and a refresh token
    And the id token names bob and his e-mail address

  Scenario: A user who does not say how to log in chooses the password
    Given a user pool that mails through SES from the sender and lets users sign in with a password or a code by e-mail
    And an app client "web" that lets users choose how they sign in
    And bob has signed up and confirmed with the mailed code
    When bob starts to sign in with only his e-mail address
    Then he is asked to choose how to sign in: with a password or a code by e-mail
    When bob chooses to sign in with his password
    Then he receives an id token, an access token and a refresh token

  Scenario: A code by e-mail as the second factor, after the password
    Given a user pool that mails through SES from the sender, with e-mail as the username
    And the pool offers optional MFA by e-mail, with the code in the mail "Your login code"
    And an app client "web" that lets users choose how they sign in
    And carol has signed up and confirmed with the mailed code
    And an administrator has turned on MFA by e-mail for carol
    When carol logs in with her password
    Then she is asked for the code sent to her e-mail address
    When carol reads the sign-in code in the mail "Your login code"
    Then the sign-in code in carol's mail has 8 digits
    When carol enters the code from the mail
    Then she receives an id token, an access token and a refresh token
    And the id and access tokens are signed by the pool's two keys
