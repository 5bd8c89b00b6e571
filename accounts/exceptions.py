"""The accounts app's business refusals beyond core.errors' (their codes are in README "Error codes")."""

from core.errors import BusinessError, Forbidden


class SocialCodeInvalid(BusinessError):
    status_code = 400
    code = "social_code_invalid"
    default_detail = (
        "The provider refused this sign-in code: it is wrong, expired or already used, or the redirect_uri "
        "or code_verifier does not match the ones of the sign-in."
    )


class ProviderUnavailable(BusinessError):
    status_code = 503
    code = "provider_unavailable"
    default_detail = "The sign-in provider is not answering right now. Please try again in a moment."


class EmailNotVerified(Forbidden):
    code = "email_not_verified"


class LastSignInMethod(BusinessError):
    code = "last_sign_in_method"
    default_detail = (
        'This is the only way left to sign in to your account: set a password first ("Forgot your '
        'password?" on the login page mails you a link), then disconnect it.'
    )
