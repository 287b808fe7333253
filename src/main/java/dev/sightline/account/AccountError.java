package dev.sightline.account;

import java.time.Duration;

/** Why a sign-in, set-up or invitation was refused; the API turns each reason into its status and words. */
public final class AccountError extends RuntimeException {
    public enum Reason { INVALID_CREDENTIALS, RATE_LIMITED, INVALID_SETUP_CODE, ALREADY_SET_UP, EMAIL_TAKEN, INVALID_EMAIL, WEAK_PASSWORD, INVALID_INVITE }

    private final Reason reason;
    private final Duration retryAfter;

    public AccountError(Reason reason, String detail) {
        this(reason, detail, Duration.ZERO);
    }

    public AccountError(Reason reason, String detail, Duration retryAfter) {
        super(detail, null, false, false);
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    public Reason reason() {
        return reason;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
