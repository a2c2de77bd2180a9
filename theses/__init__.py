"""Student theses: the student, the degree, the supervisors, the award date and the awarding
unit, entered by researchers and validated by the Library; public once awarded (issue 13)."""
