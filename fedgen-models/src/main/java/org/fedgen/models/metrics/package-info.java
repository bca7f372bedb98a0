/**
 * Quality metrics of generated digits: FID and precision / recall on the features of the shipped digits classifier,
 * the histogram of predicted labels (mode coverage), and the code that trains that classifier.
 */
package org.fedgen.models.metrics;
