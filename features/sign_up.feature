@sign-up
Feature: Signing up and confirming
  Around the tutorial: the ways a sign-up is confirmed, and the ways it is refused.

  Background:
    Given a user pool with e-mail as the username and e-mail auto-verification
    And an app client "cli" with the USER_PASSWORD_AUTH flow

  @admin
  Scenario: An administrator confirms a sign-up without the code
    Given bob has signed up
    When an administrator confirms bob's sign-up
    Then bob is CONFIRMED
    And bob's e-mail address is not verified
    When bob logs in with his password
    Then he receives an id token, an access token and a refresh token

  @admin @mail
  Scenario: A user an administrator created chooses a password at first login
    When an administrator creates the user gina
    Then gina is FORCE_CHANGE_PASSWORD
    When gina reads her temporary password in the mail "Your temporary password"
    And gina logs in with her password
    Then she is asked to choose a new password
    When gina chooses a new password
    Then she receives an id token, an access token and a refresh token
    And gina is CONFIRMED

  @mail
  Scenario: A wrong code is refused
    Given bob has signed up
    And bob has read the code in the mail "Your verification code"
    When bob confirms his sign-up with a wrong code
    Then the request is refused with CodeMismatchException: "Invalid verification code provided, please try again."
    And bob is UNCONFIRMED

  @mail
  Scenario: A resent code replaces the first one
    Given bob has signed up
    And bob has read the code in the mail "Your verification code"
    When bob asks for the code to be sent again
    Then the code was sent by EMAIL to bob's masked address
    When bob reads the code in the mail "Your verification code"
    And bob confirms his sign-up with the first code
    Then the request is refused with ExpiredCodeException: "Invalid code provided, please request a code again."
    When bob confirms his sign-up with the code
    Then bob is CONFIRMED

  @moto-differs
  Scenario Outline: A password that breaks the policy is refused
    When carol signs up with a password that <breaks the rule>
    Then the request is refused with InvalidPasswordException: "Password did not conform with policy: <reason>"

    Examples:
      | breaks the rule          | reason                                  |
      | is too short             | Password not long enough                |
      | has no lower-case letter | Password must have lowercase characters |
      | has no upper-case letter | Password must have uppercase characters |
      | has no digit             | Password must have numeric characters   |
      | has no symbol            | Password must have symbol characters    |

  @moto-differs
  Scenario: An e-mail address signs up only once
    Given bob has signed up
    When bob signs up again with the same e-mail address
    Then the request is refused with UsernameExistsException: "An account with the given email already exists."

  @moto-differs
  Scenario: The username must be an e-mail address
    When someone signs up with the username "not-an-email"
    Then the request is refused with InvalidParameterException: "Username should be an email."
