package dev.quiesce.web;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An error the API answers with a specific status and a detail a client can act on. Spring renders it as
 * {@code application/problem+json}; the detail must never carry a stack trace or a class name.
 */
final class ProblemException extends ErrorResponseException {

    private ProblemException(HttpStatus status, String detail) {
        super(status, ProblemDetail.forStatusAndDetail(status, detail), null);
    }

    static ProblemException badRequest(String detail) {
        return new ProblemException(HttpStatus.BAD_REQUEST, detail);
    }

    static ProblemException unauthorized(String detail, String challenge) {
        ProblemException problem = new ProblemException(HttpStatus.UNAUTHORIZED, detail);
        problem.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
        return problem;
    }

    static ProblemException notFound(long jobId) {
        return new ProblemException(HttpStatus.NOT_FOUND, "job " + jobId + " does not exist");
    }

    static ProblemException notFound(String detail) {
        return new ProblemException(HttpStatus.NOT_FOUND, detail);
    }

    static ProblemException conflict(String detail) {
        return new ProblemException(HttpStatus.CONFLICT, detail);
    }

    static ProblemException payloadTooLarge(String detail) {
        return new ProblemException(HttpStatus.CONTENT_TOO_LARGE, detail);
    }
}
