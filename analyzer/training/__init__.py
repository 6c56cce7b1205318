"""Training: the labelled corpus, the classifiers and how they are trained, evaluated and described
(model card). Nothing here runs when a report is analysed."""
