// libxml2's streaming reader (xmlTextReader) for OporaImport's .xlsx reading.
// Foundation's XMLParser on Linux dereferences NULL or traps on malformed XML (a SIGSEGV in
// `opora serve` from one upload), so worksheets are read with libxml2's own reader, which reports
// malformed input as an error. See Sources/OporaImport/XLSXReader.swift.
#ifndef OPORA_CLIBXML2_SHIM_H
#define OPORA_CLIBXML2_SHIM_H

// Debian's libxml2 is built with ICU, and <libxml/encoding.h> then includes ICU's headers, which
// clash with Foundation's own copy of ICU (_FoundationICU) in a Swift file that imports both.
// Nothing here uses ICU types (only a struct never touched from Swift changes), so the switch is
// turned off after xmlversion.h has set it.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

/// Reader errors (severity "error") set *flag; nothing is printed to stderr.
static void opora_xml_reader_error(void *arg, const char *msg, xmlParserSeverities severity,
                                   xmlTextReaderLocatorPtr locator) {
    (void)msg;
    (void)locator;
    if (arg != NULL && (severity == XML_PARSER_SEVERITY_ERROR || severity == XML_PARSER_SEVERITY_VALIDITY_ERROR)) {
        *(int *)arg = 1;
    }
}

/// A reader over `size` bytes at `buffer` (which must outlive it): no network, no entity
/// substitution (no XML_PARSE_NOENT), no DTD loading, and without XML_PARSE_HUGE, so libxml2's
/// default limits on text node size and nesting depth apply. Errors set *error_flag.
static inline xmlTextReaderPtr opora_xml_reader(const char *buffer, int size, int *error_flag) {
    xmlTextReaderPtr reader = xmlReaderForMemory(buffer, size, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOWARNING);
    if (reader != NULL) {
        xmlTextReaderSetErrorHandler(reader, opora_xml_reader_error, error_flag);
    }
    return reader;
}

static inline void opora_xml_free(void *p) {
    xmlFree(p);
}

#endif
