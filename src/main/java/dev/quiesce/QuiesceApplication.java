package dev.quiesce;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class QuiesceApplication {
    public static void main(String[] args) {
        SpringApplication.run(QuiesceApplication.class, args);
    }
}
