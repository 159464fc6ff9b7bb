package io.linerate.ops.filter;

/** The fields a display filter may name: the binding between the language and what it reads. */
public interface FieldCatalog
{
    /** The field called {@code name}, null when there is none. */
    Field field(String name);
}
