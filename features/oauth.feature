@oauth @moto-differs
Feature: Signing in through the pool's OAuth 2.0 endpoints
  Web apps never call the sign-in API: they send their users to the pool's login page and
  exchange the code they get back for tokens (the authorization-code grant, with PKCE).
  Services obtain tokens of their own with the client-credentials grant, for the scopes
  of the pool's resource servers.

  Background:
    Given a user pool with e-mail as the username and e-mail auto-verification
    And an app client "cli" with the USER_PASSWORD_AUTH flow
    And the pool has a domain
    And the pool has the resource server "api" with the scopes "read" and "write"

  Scenario: A service obtains a token with the client-credentials grant
    Given a service client allowed the scope "api/read"
    When the service obtains a token with the client-credentials grant for scope "api/read"
    Then the service's access token is signed by the pool and grants the scope "api/read"
    And its subject is the service's client id

  Scenario: A service cannot have a scope it was not given
    Given a service client allowed the scope "api/read"
    When the service asks for a token with the client-credentials grant for scope "api/write"
    Then the token endpoint refuses with invalid_scope

  Scenario: Alice signs in on the login page and the app receives her tokens
    Given alice has signed up and been confirmed by an administrator
    And a web app client with the callback "http://localhost:3000/callback"
    When alice signs in on the login page
    Then the app receives her tokens
    And the id token names alice and her e-mail address

  Scenario: A wrong password on the login page
    Given alice has signed up and been confirmed by an administrator
    And a web app client with the callback "http://localhost:3000/callback"
    When alice signs in on the login page with a wrong password
    Then the login page says "Incorrect username or password."
