@groups
Feature: Groups in the tokens
  An administrator puts users in groups. Each group has a precedence, and may have an IAM
  role. A user's id and access tokens list their groups, the one that takes precedence
  (the lowest number) first, and the id token names that group's role as the user's
  preferred role, for an identity pool or an API to act on.

  Background:
    Given a user pool with e-mail as the username and e-mail auto-verification
    And an app client "cli" with the USER_PASSWORD_AUTH flow
    And the pool has the group "editors" with precedence 2 and the role "Editors"
    And the pool has the group "readers" with precedence 1 and the role "Readers"
    And the pool has the group "auditors" with precedence 3

  @moto-differs
  Scenario: The tokens list a user's groups, the one that takes precedence first
    Given bob has signed up and been confirmed by an administrator
    And an administrator has added bob to the groups "editors", "auditors" and "readers"
    When bob logs in with his password
    Then the id and access tokens list the groups "readers", "editors" and "auditors"
    And the id token names the preferred role "Readers"

  @moto-differs
  Scenario: A user taken out of a group no longer has it at the next login
    Given bob has signed up and been confirmed by an administrator
    And an administrator has added bob to the groups "editors" and "readers"
    And bob has logged in
    When an administrator removes bob from the group "readers"
    And bob logs in with his password
    Then the id and access tokens list the group "editors"
    And the id token names the preferred role "Editors"
