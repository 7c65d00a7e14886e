package dev.quiesce.settings;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import org.springframework.util.unit.DataSize;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A {@link DataSize} of at least {@link #value()} (written as in a property, e.g. {@code "16MB"}); null passes,
 * as with the standard constraints. Bean Validation has {@code @DurationMin} for durations but nothing for sizes.
 * <pre>{@code @MinDataSize(value = "16MB", message = "16MB or more") DataSize maxRss}</pre>
 */
@Documented
@Constraint(validatedBy = MinDataSize.Check.class)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
public @interface MinDataSize {

    /** The smallest size allowed, e.g. {@code "1B"} or {@code "16MB"}. */
    String value();

    String message() default "must be {value} or more";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Compares in bytes. */
    class Check implements ConstraintValidator<MinDataSize, DataSize> {

        private long minimumBytes;

        @Override
        public void initialize(MinDataSize constraint) {
            minimumBytes = DataSize.parse(constraint.value()).toBytes();
        }

        @Override
        public boolean isValid(DataSize value, ConstraintValidatorContext context) {
            return value == null || value.toBytes() >= minimumBytes;
        }
    }
}
