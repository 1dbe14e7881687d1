@attributes
Feature: A custom attribute in the id token
  A pool can keep attributes of its own beside the standard ones, named custom:...; here
  the tenant a user belongs to. A user gives it at sign-up, and the id token carries it,
  but only to the app clients allowed to read it.

  Background:
    Given a user pool with e-mail as the username and the custom attribute custom:tenant
    And an app client "web" that reads and writes custom:tenant
    And an app client "reports" that does not read custom:tenant

  Scenario: A user signs up with a tenant, and the id token carries it
    When bob signs up with custom:tenant "acme"
    And an administrator confirms bob's sign-up
    And bob logs in with his password
    Then the id token carries custom:tenant "acme"

  @moto-differs
  Scenario: A client that may not read the tenant does not get it in the id token
    When bob signs up with custom:tenant "acme"
    And an administrator confirms bob's sign-up
    And bob logs in with his password through the client "reports"
    Then the id token names bob and his e-mail address
    And the id token does not carry custom:tenant
