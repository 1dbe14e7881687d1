@defaults
Feature: What a pool and a client get when created without options
  The defaults AWS gives, so a test on an emulator means the same as on AWS.

  @moto-differs
  Scenario: A pool and a client created without options have AWS's defaults
    Given a user pool created without options
    And an app client "plain" created without options
    Then the pool has the default password policy
    And the pool confirms sign-ups with a code sent by e-mail
    And the pool sends mail through Cognito's default account
    And administrators may create users, whose temporary passwords last 7 days
    And the pool has no MFA and no deletion protection
    And the client refreshes for 30 days, revokes tokens and has no OAuth flows
    And the client tells apart unknown users and wrong passwords
