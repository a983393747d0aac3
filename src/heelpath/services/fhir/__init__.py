"""FHIR R4 in and out: the Questionnaire generated from the knowledge base, QuestionnaireResponses
and patient records read as cases, results written as Bundles, and the SDC ``$next-question``
operation (needs the ``fhir`` extra: fhir.resources and fhirpathpy)."""
