package dev.quiesce.job;

import dev.quiesce.settings.InvalidConfigurationException;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.ResolvableType;

/** Reads the payload type {@code P} a handler declares ({@code implements JobHandler<Resize>}). */
final class PayloadTypes {

    private PayloadTypes() {
    }

    static Class<?> of(Object bean, Class<?> contract) {
        Class<?> beanClass = AopUtils.getTargetClass(bean);
        Class<?> payload = ResolvableType.forClass(beanClass).as(contract).resolveGeneric(0);
        if (payload == null) {
            throw new InvalidConfigurationException(beanClass.getName() + " implements " + contract.getSimpleName()
                    + " without a payload type that can be read at start-up.",
                    "Declare it on the class: implements " + contract.getSimpleName()
                            + "<YourPayloadRecord> (or <tools.jackson.databind.JsonNode> for raw JSON).");
        }
        return payload;
    }
}
