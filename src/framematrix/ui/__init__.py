"""The local web page: questionnaire and result, served by the project itself."""
