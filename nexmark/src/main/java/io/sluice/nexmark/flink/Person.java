package io.sluice.nexmark.flink;

/** A person as a Flink POJO, the columns of {@code NexmarkSchemas.PERSON}. */
public final class Person {
    public long id;
    public String name;
    public String emailAddress;
    public String creditCard;
    public String city;
    public String state;
    public long dateTime;
    public String extra;

    public Person() {
    }
}
