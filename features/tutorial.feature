@tutorial
Feature: The tutorial — a user pool made with the AWS CLI, a sign-up confirmed by mail, a login
  As in the post "Create a Cognito User Pool with the AWS CLI": the pool uses the e-mail
  address as the username and verifies it; a new user is refused until they confirm with
  the 6-digit code Cognito mails them, and then receives three tokens.

  @mail @ses
  Scenario: A user signs up, is refused, confirms with the mailed code and logs in
    Given the sender address is verified in SES
    When I list the user pools
    Then my pool is not among them
    When I create the user pool "helloWorld" with e-mail auto-verification, e-mail as the username and the SES sender
    Then the pool id is the region, an underscore and 9 letters or digits
    And the pool confirms sign-ups with a code sent by e-mail
    And the pool sends mail through Cognito's default account from the SES sender
    And the pool has the default password policy
    When I list the user pools
    Then my pool is among them, with its creation date
    When I create the app client "cli" with the USER_PASSWORD_AUTH flow
    Then the client id is 26 lowercase letters or digits
    And the client refreshes for 30 days, revokes tokens and has no OAuth flows
    And the client "cli" is in the pool's list of clients
    When alice signs up with the tutorial's password
    Then the sign-up is not confirmed yet
    And the code was sent by EMAIL to alice's masked address
    And alice is UNCONFIRMED
    When alice logs in with her password
    Then the request is refused with UserNotConfirmedException: "User is not confirmed."
    When alice reads the code in the mail "Your verification code"
    And alice confirms her sign-up with the code
    Then alice is CONFIRMED
    And alice's e-mail address is verified
    When alice logs in with her password
    Then she receives an id token, an access token and a refresh token
    And the tokens are Bearer tokens that expire in 3600 seconds
    And the id and access tokens are signed by the pool's two keys
    And the id token names alice, her e-mail address and email_verified true
    And the access token is for the client, with the scope "aws.cognito.signin.user.admin"
    And the refresh token is opaque: an encrypted JWE
