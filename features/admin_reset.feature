@admin @mail
Feature: An administrator resets a user's password
  When an account may be compromised, an administrator resets its password. The user's
  old password stops working at once: logging in is refused until they choose a new
  password with the code Cognito mails them.

  Background:
    Given a user pool with e-mail as the username and e-mail auto-verification
    And an app client "cli" with the USER_PASSWORD_AUTH flow

  Scenario: After a reset, the user chooses a new password with the mailed code
    Given bob has signed up and confirmed with the mailed code
    When an administrator resets bob's password
    Then bob is RESET_REQUIRED
    When bob logs in with his password
    Then the request is refused with PasswordResetRequiredException: "Password reset required for the user"
    When bob reads the code in the mail "Your verification code"
    And bob chooses a new password with the code
    Then bob can log in with the new password
    And bob cannot log in with the old password
    And bob is CONFIRMED
