"""Small shared pieces that models compose (not models themselves).

- `priors`: latent priors p(z) as tensorflow-probability distributions, and `AdversarialPrior`
  for the models that match their codes to one with a latent discriminator (AAE, Double GAN).
- `code_density`: the ex-post Gaussian-mixture density of an autoencoder's codes.
- `latent_clusters`: self-conditioning on k-means clusters of the data (DCGAN's option).
- `gradient_surgery`: combining two objectives' gradients on shared weights (PCGrad).
- `packing`: PacGAN's packs of m samples that the discriminator judges at once (`packing=m`:
  the GAN family, BiGAN, the AAE's latent discriminator, the translation models).
- `autoencoder_discriminator`: an autoencoder as the discriminator, its reconstruction error
  as the energy (EBGAN, BEGAN).
"""
